"""Hook implementations and the programme page of the developed social security programme.

This module is the ``gateway.plugins`` entry point. It imports only ``sdk``
(and its own package), like any third-party plugin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import bawaba_sdk as sdk

from . import apply, demo, eligibility_views, estimate_views, objection, payment_views  # noqa: F401  (the views add their routes)
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
def gateway_check_eligibility(service: sdk.Service, person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck] | None:
    if service.slug == apply.SERVICE:
        return apply.eligibility_checks(person)
    if service.slug == objection.SERVICE:
        return objection.eligibility_checks(person)
    return None


@sdk.hookimpl
def gateway_validate_step(
    service: sdk.Service, step: sdk.FormStep, data: Mapping[str, Any], person: sdk.PersonView
) -> Mapping[str, str] | None:
    if service.slug == apply.SERVICE:
        return apply.validate_documents(step, data)
    if service.slug == objection.SERVICE:
        return objection.validate_objection(step, data, person)
    return None


@sdk.hookimpl
def gateway_application_transitioned(
    application: sdk.ApplicationView, source: str, target: str
) -> Mapping[str, Any] | None:
    return apply.on_transition(application, source, target) if application.service == apply.SERVICE else None


@sdk.hookimpl
def gateway_register_jobs() -> Iterable[sdk.ScheduledJob]:
    return [CYCLE]


@sdk.hookimpl
def gateway_register_database() -> sdk.PluginDatabase:
    return DATABASE
