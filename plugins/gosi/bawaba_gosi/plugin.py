"""GOSI's hook implementations and its program page.

This module is the ``gateway.plugins`` entry point. It imports only ``sdk``
(and its own package), like any third-party plugin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import bawaba_sdk as sdk

from . import applications, treatment
from .adapters import RECORDS, SETTINGS
from .calculations import CALCULATIONS
from .db import DATABASE
from .program import PROGRAM, SLUG
from .rules import published_parameters
from .views import bp


@bp.get("/")
def index() -> str:
    """The program page: the declaration, plus what a contributor can do and how the account works."""
    return sdk.render_template(f"{SLUG}/index.html")


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_settings() -> tuple[sdk.Setting, ...]:
    return SETTINGS


@sdk.hookimpl
def gateway_startup(settings: Mapping[str, Any]) -> None:
    """Build the records adapter now, so a wrong choice makes GOSI unavailable at boot, not at a click."""
    RECORDS.start(settings)


@sdk.hookimpl
def gateway_register_parameters() -> sdk.ParameterSet:
    return published_parameters()


@sdk.hookimpl
def gateway_register_calculations() -> tuple[sdk.Calculation, ...]:
    return CALCULATIONS


@sdk.hookimpl
def gateway_register_database() -> sdk.PluginDatabase:
    return DATABASE


@sdk.hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return bp


@sdk.hookimpl
def gateway_check_eligibility(service: sdk.Service, person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck] | None:
    if service.slug == applications.PENSION:
        return applications.eligibility(person)
    if service.slug == applications.SANED:
        return applications.saned_eligibility(person)
    if service.slug == treatment.TREATMENT:
        return treatment.eligibility(person)
    return None


@sdk.hookimpl
def gateway_application_transitioned(application: sdk.ApplicationView, target: str) -> Mapping[str, Any] | None:
    if application.service == applications.PENSION:
        return applications.transitioned(application, target)
    if application.service == applications.SANED:
        return applications.saned_transitioned(application, target)
    if application.service == treatment.TREATMENT:
        return treatment.transitioned(application, target)
    return None
