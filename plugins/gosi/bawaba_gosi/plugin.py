"""GOSI's hook implementations and its program page.

This module is the ``gateway.plugins`` entry point. It imports only ``sdk``
(and its own package), like any third-party plugin.
"""

from __future__ import annotations

import bawaba_sdk as sdk

from .calculations import CALCULATIONS
from .program import PROGRAM, SLUG
from .rules import published_parameters

bp = sdk.Blueprint(SLUG, __name__, template_folder="templates")


@bp.get("/")
def index() -> str:
    """The program page: the declaration, plus what a contributor can do and how the account works."""
    return sdk.render_template(f"{SLUG}/index.html")


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_parameters() -> sdk.ParameterSet:
    return published_parameters()


@sdk.hookimpl
def gateway_register_calculations() -> tuple[sdk.Calculation, ...]:
    return CALCULATIONS


@sdk.hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return bp
