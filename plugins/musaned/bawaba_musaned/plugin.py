"""Musaned's hook implementations: the ``gateway.plugins`` entry point ``musaned``.

This module imports only ``sdk`` and its own package, like any third-party
plugin. Service hooks are routed by service slug to the part of the plugin
that owns the service, by the SDK's ``ServiceRouter``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

import bawaba_sdk as sdk

# The page modules add their routes to the blueprint when imported.
from . import (  # noqa: F401
    complaint_views,
    complaints,
    demo,
    office_views,
    offices,
    program_page,
    ticket_views,
    tickets,
    visa_views,
    visas,
)
from .db import DATABASE
from .program import PROGRAM, SETTINGS
from .web import bp

ROUTER = sdk.ServiceRouter({**visas.HOOKS, **offices.HOOKS, **complaints.HOOKS, **tickets.HOOKS})


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_settings() -> Iterable[sdk.Setting]:
    return list(SETTINGS)


@sdk.hookimpl
def gateway_register_database() -> sdk.PluginDatabase:
    return DATABASE


@sdk.hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return bp


# The service hooks, answered by the part of the plugin that owns each service (sdk.ServiceRouter).
gateway_check_eligibility = ROUTER.gateway_check_eligibility
gateway_validate_step = ROUTER.gateway_validate_step
gateway_application_transitioned = ROUTER.gateway_application_transitioned
gateway_application_fee = ROUTER.gateway_application_fee


@sdk.hookimpl
def gateway_load_demo_data(session: Session, settings: Mapping[str, Any]) -> Iterable[str] | None:
    return demo.load(session, settings)
