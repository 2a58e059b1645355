"""``sdk.ServiceRouter``: the service hooks answered by the part that owns each service, in a real portal."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask

import bawaba_sdk as sdk
from bawaba_sdk.testing.applications import application, move_application
from bawaba_sdk.testing.forms import FormWalk
from bawaba_sdk.testing.payments import bills
from tests.sample_plugins import entry_points

translations = sdk.TranslationDomain(Path(__file__).parent / "translations", "routed")


class NoteSchema(sdk.forms.Schema):
    text = sdk.forms.fields.String(required=True, metadata=sdk.forms.field(label="Note"))


def service(slug: str, prefix: str) -> sdk.Service:
    return sdk.Service(
        slug=slug,
        name=slug.title(),
        summary=f"The {slug} service.",
        steps=(sdk.FormStep("note", "Note", NoteSchema),),
        reference_prefix=prefix,
    )


SEEN: list[tuple[str, str]] = []


def only_short(step: sdk.FormStep, data: Mapping[str, Any], answers: Mapping[str, Any], person: Any) -> Any:
    return {"text": "Keep it short."} if len(data["text"]) > 5 else None


def moved(view: sdk.ApplicationView, source: str, target: str, actor: str) -> Mapping[str, Any]:
    SEEN.append((view.service, target))
    return {"seen_by": "complaints"}


ROUTER = sdk.ServiceRouter(
    {
        "booking": sdk.ServiceHooks(validate_step=only_short, fee=lambda answers, person: Decimal("12.50")),
        "complaint": sdk.ServiceHooks(transitioned=moved),
    }
)
PROGRAM = sdk.Program(
    slug="routed",
    name="Routed",
    summary="Two services, one router.",
    translations=translations,
    services=(service("booking", "RTB"), service("complaint", "RTC")),
)


def plugin_module() -> str:
    """This test's plugin as a module: the program, and the router's four hooks as its own."""
    module = types.ModuleType("routed_plugin")
    module.gateway_register_program = sdk.hookimpl(lambda: PROGRAM)  # type: ignore[attr-defined]
    module.gateway_check_eligibility = ROUTER.gateway_check_eligibility  # type: ignore[attr-defined]
    module.gateway_validate_step = ROUTER.gateway_validate_step  # type: ignore[attr-defined]
    module.gateway_application_transitioned = ROUTER.gateway_application_transitioned  # type: ignore[attr-defined]
    module.gateway_application_fee = ROUTER.gateway_application_fee  # type: ignore[attr-defined]
    sys.modules["routed_plugin"] = module
    return "routed_plugin"


def test_each_service_gets_its_own_hooks_and_the_others_none(
    make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any]
) -> None:
    app = make_portal(plugins="routed", PLUGIN_ENTRY_POINTS=entry_points(routed=plugin_module()), DEFAULT_LANGUAGE="en")
    citizen = sign_in_as(app, "1000000008")
    booking = FormWalk(citizen, "routed", "booking")
    booking.start()
    assert booking.errors("note", {"text": "far too long"}) == {"text": "Keep it short."}
    booking.fill("note", {"text": "hi"})
    booked = booking.submit()
    assert [bill.amount for bill in bills(app, booked)] == [Decimal("12.50")]
    complaint = FormWalk(citizen, "routed", "complaint")
    complaint.start()
    complaint.fill("note", {"text": "a long complaint, not refused here"})
    complained = complaint.submit()
    assert bills(app, complained) == []
    SEEN.clear()
    move_application(app, booked, "in_review")
    move_application(app, complained, "in_review")
    assert SEEN == [("complaint", "in_review")]
    assert application(app, complained).extra == {"seen_by": "complaints"}
    assert application(app, booked).extra == {}
    assert ROUTER.hooks_for("nothing") == sdk.ServiceHooks()
