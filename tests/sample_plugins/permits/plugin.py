"""The permits test plugin: one three-step service that exercises the forms engine.

Every widget the engine knows appears once: prefilled identity fields, an
email, a number, a select, a Hijri date, a checkbox that makes a later step
appear, a repeating group of crew members and a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from bawaba_sdk import (
    COMMON_TRANSITIONS,
    FormStep,
    Program,
    Service,
    Setting,
    Transition,
    TranslationDomain,
    WorkflowState,
    hookimpl,
    parse_decimal,
)
from bawaba_sdk.forms import HijriDateField, NationalIdField, SaudiMobileField, Schema, field, fields, validate

translations = TranslationDomain(Path(__file__).parent / "translations", "permits")
_l = translations.lazy_gettext

REGIONS = [("riyadh", _l("Riyadh")), ("makkah", _l("Makkah")), ("eastern", _l("Eastern Province"))]
HULLS = [("wood", _l("Wood")), ("fibreglass", _l("Fibreglass")), ("steel", _l("Steel"))]


class PersonalSchema(Schema):
    first_name_ar = fields.String(
        required=True, metadata=field(label=_l("First name (Arabic)"), prefill="first_name_ar")
    )
    mobile = SaudiMobileField(required=True, metadata=field(label=_l("Mobile number"), prefill="mobile"))
    email = fields.Email(
        required=True,
        validate=validate.Length(max=254),
        metadata=field(label=_l("Email address"), help=_l("We send the licence here.")),
    )


class BoatSchema(Schema):
    boat_name = fields.String(
        required=True, validate=validate.Length(min=2, max=100), metadata=field(label=_l("Boat name"))
    )
    length = fields.Float(
        required=True,
        validate=validate.Range(min=1, max=120),
        metadata=field(label=_l("Length in metres"), widget="number"),
    )
    region = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in REGIONS]),
        metadata=field(label=_l("Home port region"), widget="select", choices=REGIONS),
    )
    hull = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in HULLS]),
        metadata=field(label=_l("Hull material"), widget="radio", choices=HULLS),
    )
    registered_on = HijriDateField(
        required=True,
        metadata=field(label=_l("Registration date"), help=_l("Hijri, for example 15/07/1440.")),
    )
    notes = fields.String(
        load_default="",
        validate=validate.Length(max=500),
        metadata=field(label=_l("Notes"), widget="textarea"),
    )
    has_crew = fields.Boolean(
        load_default=False, metadata=field(label=_l("Crew"), help=_l("The boat sails with a crew."))
    )
    registration = fields.String(
        load_default=None,
        allow_none=True,
        metadata=field(label=_l("Boat registration"), widget="file", help=_l("PDF, JPEG or PNG.")),
    )


class CrewMemberSchema(Schema):
    national_id = NationalIdField(required=True, metadata=field(label=_l("National ID or iqama number")))
    name = fields.String(required=True, validate=validate.Length(max=100), metadata=field(label=_l("Full name")))


class CrewSchema(Schema):
    members = fields.List(
        fields.Nested(CrewMemberSchema),
        required=True,
        validate=validate.Length(min=1, max=10),
        metadata=field(label=_l("Crew members"), widget="group", help=_l("Everyone who sails with you.")),
    )


def has_crew(answers: Mapping[str, Mapping[str, Any]]) -> bool:
    return bool(answers.get("boat", {}).get("has_crew"))


FISHING_LICENCE = Service(
    slug="fishing_licence",
    name=_l("Fishing licence"),
    summary=_l("Licence a fishing boat."),
    steps=(
        FormStep("personal", _l("About you"), PersonalSchema),
        FormStep("boat", _l("Your boat"), BoatSchema),
        FormStep("crew", _l("Your crew"), CrewSchema, condition=has_crew),
    ),
    reference_prefix="PRM",
    fee_setting="licence_fee",
    states=(WorkflowState("fee_paid", _l("Fee paid")),),
    transitions=(
        Transition("submitted", "fee_paid", "system", _l("Fee paid"), on_payment=True),
        Transition("fee_paid", "in_review", "staff", _l("Start the review")),
        *(transition for transition in COMMON_TRANSITIONS if transition.source != "submitted"),
        Transition("submitted", "withdrawn", "citizen", _l("Withdraw")),
    ),
)

PROGRAM = Program(
    slug="permits",
    name=_l("Permits"),
    summary=_l("Licences for boats."),
    translations=translations,
    services=(FISHING_LICENCE,),
)

LONG_BOAT_METRES = 30


@hookimpl
def gateway_register_program() -> Program:
    return PROGRAM


@hookimpl
def gateway_register_settings() -> list[Setting]:
    return [Setting("licence_fee", Decimal("150.00"), parse_decimal(minimum=Decimal("0")), "The licence fee in SAR.")]


@hookimpl
def gateway_validate_step(step, data, answers) -> dict[str, str] | None:  # type: ignore[no-untyped-def]
    """A boat longer than 30 m must sail with a crew (a cross-field rule a schema cannot express alone)."""
    if step.slug == "boat" and data["length"] > LONG_BOAT_METRES and not data["has_crew"]:
        return {"has_crew": "A boat longer than 30 m needs a crew."}
    return None
