"""A plugin that raises in every hook it is told to (``RAISE_IN``; by default, all of them).

With every hook raising it is disabled at start-up; with one request-time
hook raising it serves, and every page that calls that hook must answer
without a 500 while the other programs keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields

from bawaba_sdk import COMMON_TRANSITIONS, Blueprint, FormStep, Program, Service, TranslationDomain, hookimpl
from bawaba_sdk.forms import field

translations = TranslationDomain(Path(__file__).parent / "translations", "brittle")
blueprint = Blueprint("brittle", __name__)

ALL_HOOKS = frozenset(
    {
        "gateway_register_program",
        "gateway_register_settings",
        "gateway_register_parameters",
        "gateway_register_calculations",
        "gateway_register_records",
        "gateway_register_jobs",
        "gateway_register_database",
        "gateway_register_blueprint",
        "gateway_startup",
        "gateway_person_changed",
        "gateway_validate_step",
        "gateway_application_transitioned",
        "gateway_check_eligibility",
        "gateway_application_fee",
        "gateway_load_demo_data",
    }
)
RAISE_IN: set[str] = set(ALL_HOOKS)
"""The hooks that raise now; tests set it before building the portal."""


class AboutSchema(Schema):
    note = fields.String(required=True, metadata=field(label="Your request"))


REQUEST = Service(
    slug="request",
    name="Request",
    summary="Ask for something.",
    steps=(FormStep("about", "About your request", AboutSchema),),
    transitions=COMMON_TRANSITIONS,
    reference_prefix="BRT",
)
PROGRAM = Program(
    slug="brittle", name="Brittle", summary="Raises where it is told.", translations=translations, services=(REQUEST,)
)


def _maybe_raise(hook: str) -> None:
    if hook in RAISE_IN:
        raise RuntimeError(f"brittle raises in {hook}")


@blueprint.get("/hello")
def hello() -> str:
    return "hello"


@hookimpl
def gateway_register_program() -> Program:
    _maybe_raise("gateway_register_program")
    return PROGRAM


@hookimpl
def gateway_register_settings() -> list[Any]:
    _maybe_raise("gateway_register_settings")
    return []


@hookimpl
def gateway_register_parameters() -> None:
    _maybe_raise("gateway_register_parameters")


@hookimpl
def gateway_register_calculations() -> None:
    _maybe_raise("gateway_register_calculations")


@hookimpl
def gateway_register_records() -> None:
    _maybe_raise("gateway_register_records")


@hookimpl
def gateway_register_jobs() -> None:
    _maybe_raise("gateway_register_jobs")


@hookimpl
def gateway_register_database() -> None:
    _maybe_raise("gateway_register_database")


@hookimpl
def gateway_register_blueprint() -> Blueprint:
    _maybe_raise("gateway_register_blueprint")
    return blueprint


@hookimpl
def gateway_startup() -> None:
    _maybe_raise("gateway_startup")


@hookimpl
def gateway_person_changed() -> None:
    _maybe_raise("gateway_person_changed")


@hookimpl
def gateway_validate_step() -> Mapping[str, str] | None:
    _maybe_raise("gateway_validate_step")
    return None


@hookimpl
def gateway_application_transitioned() -> None:
    _maybe_raise("gateway_application_transitioned")


@hookimpl
def gateway_check_eligibility() -> None:
    _maybe_raise("gateway_check_eligibility")


@hookimpl
def gateway_application_fee() -> None:
    _maybe_raise("gateway_application_fee")


@hookimpl
def gateway_load_demo_data() -> Iterable[str]:
    _maybe_raise("gateway_load_demo_data")
    return ["nothing to load"]
