"""A test plugin that records every ``gateway_application_transitioned`` call.

Its ``permit`` service declares an extra state (``issued``) reached from
``approved``; on approval the hook returns a permit number, which the host
must store in the application's ``extra``. Setting ``RAISE_ON`` to a target
state makes the hook raise there, to prove the host rolls the operation back.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields, validate

from bawaba_sdk import (
    COMMON_TRANSITIONS,
    ApplicationView,
    FormStep,
    Program,
    Service,
    Transition,
    TranslationDomain,
    WorkflowState,
    hookimpl,
)
from bawaba_sdk.forms import field

translations = TranslationDomain(Path(__file__).parent / "translations", "probe")

CALLS: list[dict[str, Any]] = []
"""Every hook call, in order: program slug, application view, source, target, actor."""
RAISE_ON: set[str] = set()
"""Target states on which the hook raises."""
PERMIT_NUMBER = "PERMIT-0042"


class AboutSchema(Schema):
    lake = fields.String(
        required=True,
        validate=validate.OneOf(["asir", "dumat"]),
        metadata=field(
            label="Which lake", widget="radio", choices=[("asir", "Lake Asir"), ("dumat", "Dumat al-Jandal")]
        ),
    )
    note = fields.String(metadata=field(label="Anything else"))


PERMIT = Service(
    slug="permit",
    name="Permit",
    summary="Ask for a permit.",
    states=(WorkflowState("issued", "Permit issued", terminal=True),),
    transitions=(*COMMON_TRANSITIONS, Transition("approved", "issued", "staff", "Issue the permit")),
    steps=(FormStep("about", "About your trip", AboutSchema),),
    reference_prefix="PRB",
    extra_labels=(("permit_number", "Permit number"),),
)
NOTE = Service(slug="note", name="Note", summary="Send a note.")
PROGRAM = Program(
    slug="probe", name="Probe", summary="Records workflow hooks.", translations=translations, services=(PERMIT, NOTE)
)


def reset() -> None:
    CALLS.clear()
    RAISE_ON.clear()


@hookimpl
def gateway_register_program() -> Program:
    return PROGRAM


@hookimpl
def gateway_application_transitioned(
    program: Program, application: ApplicationView, source: str, target: str, actor: str
) -> Mapping[str, Any] | None:
    CALLS.append(
        {"program": program.slug, "application": application, "source": source, "target": target, "actor": actor}
    )
    if target in RAISE_ON:
        raise RuntimeError(f"probe refuses {source}->{target}")
    if target == "approved":
        return {"permit_number": PERMIT_NUMBER}
    return None
