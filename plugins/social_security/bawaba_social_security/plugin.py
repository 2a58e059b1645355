"""Hook implementations and the programme page of the developed social security programme.

This module is the ``gateway.plugins`` entry point. It imports only ``sdk``
(and its own package), like any third-party plugin.
"""

from __future__ import annotations

from collections.abc import Iterable

import bawaba_sdk as sdk

from . import demo, eligibility_views, estimate_views, payment_views  # noqa: F401  (the views add their routes)
from .calculations import CALCULATIONS
from .cycle import CYCLE
from .payments_db import DATABASE
from .profile import PROFILE
from .program import PROFILE_SECTIONS, PROGRAM, SETTINGS, SLUG
from .rules import published_parameters
from .web import bp


@bp.get("/")
def index() -> str:
    """The programme page: the declaration, the unified profile's sections and how support is worked out."""
    return sdk.render_template(f"{SLUG}/index.html", profile_sections=PROFILE_SECTIONS)


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_settings() -> Iterable[sdk.Setting]:
    return list(SETTINGS)


@sdk.hookimpl
def gateway_register_parameters() -> sdk.ParameterSet:
    return published_parameters()


@sdk.hookimpl
def gateway_register_calculations() -> Iterable[sdk.Calculation]:
    return CALCULATIONS


@sdk.hookimpl
def gateway_register_records() -> Iterable[sdk.StandingRecord]:
    return [PROFILE]


@sdk.hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return bp


@sdk.hookimpl
def gateway_load_demo_data() -> Iterable[str]:
    return demo.load()


@sdk.hookimpl
def gateway_register_jobs() -> Iterable[sdk.ScheduledJob]:
    return [CYCLE]


@sdk.hookimpl
def gateway_register_database() -> sdk.PluginDatabase:
    return DATABASE
