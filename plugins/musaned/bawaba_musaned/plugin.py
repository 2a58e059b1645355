"""Musaned's hook implementations: the ``gateway.plugins`` entry point ``musaned``.

This module imports only ``sdk`` and its own package, like any third-party
plugin. Service hooks are routed by service slug to the part of the plugin
that owns the service (see :mod:`bawaba_musaned.dispatch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
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
from .dispatch import ServiceHooks
from .program import PROGRAM, SETTINGS
from .web import bp

HOOKS: dict[str, ServiceHooks] = {**visas.HOOKS, **offices.HOOKS, **complaints.HOOKS, **tickets.HOOKS}


def _hooks(service: sdk.Service | str) -> ServiceHooks:
    slug = service if isinstance(service, str) else service.slug
    return HOOKS.get(slug) or ServiceHooks()


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


@sdk.hookimpl
def gateway_check_eligibility(service: sdk.Service, person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck] | None:
    check = _hooks(service).eligibility
    return check(person) if check is not None else None


@sdk.hookimpl
def gateway_validate_step(
    service: sdk.Service,
    step: sdk.FormStep,
    data: Mapping[str, Any],
    answers: Mapping[str, Any],
    person: sdk.PersonView,
) -> Mapping[str, str] | None:
    check = _hooks(service).validate_step
    return check(step, data, answers, person) if check is not None else None


@sdk.hookimpl
def gateway_application_transitioned(
    application: sdk.ApplicationView, source: str, target: str, actor: str
) -> Mapping[str, Any] | None:
    react = _hooks(application.service).transitioned
    return react(application, source, target, actor) if react is not None else None


@sdk.hookimpl
def gateway_application_fee(service: sdk.Service, answers: Mapping[str, Any], person: sdk.PersonView) -> Decimal | None:
    fee = _hooks(service).fee
    return fee(answers, person) if fee is not None else None


@sdk.hookimpl
def gateway_load_demo_data(session: Session, settings: Mapping[str, Any]) -> Iterable[str] | None:
    return demo.load(session, settings)
