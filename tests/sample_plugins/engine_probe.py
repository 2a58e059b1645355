"""A test plugin for the SDK 0.4 engine features, with plain English labels.

``engine`` offers two services:

- ``licence``: who may apply (``gateway_check_eligibility`` reads
  ``sdk.registry_standing`` and ``sdk.applications_of``), an office chosen
  from choices worked out per person (``field(choices=callable)``), a fee
  computed from the answers (``gateway_application_fee``) and the office as
  the application's scope.
- ``ticket``: a fixed fee the workflow waits for only after staff accept the
  ticket (``accepted`` -> ``in_progress`` on payment), the citizen's own moves
  (reply, with a comment; close), a staff move that needs a comment, and
  values recorded on acceptance of which only the declared ones are shown
  (``extra_labels``). The office is the scope.

Its page ``/engine/mine`` lists the signed-in person's applications through
``sdk.applications_of`` and ``sdk.application_url``.

Module-level knobs (cleared by :func:`reset`) make the hooks misbehave on
purpose, as ``workflow_probe.RAISE_ON`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk import (
    EligibilityCheck,
    FormStep,
    PersonView,
    Program,
    Service,
    Setting,
    Transition,
    TranslationDomain,
    WorkflowState,
    hookimpl,
    parse_decimal,
)
from bawaba_sdk.forms import SarAmountField, Schema, field, fields, validate

SLUG = "engine"
translations = TranslationDomain(Path(__file__).parent / "translations", "engine")

RIYADH = "OFF-RIY"
JEDDAH = "OFF-JED"
OFFICES = [(RIYADH, "Riyadh office"), (JEDDAH, "Jeddah office")]
FEE_SHARE = Decimal("0.10")
"""The licence fee is a tenth of the declared value."""
TICKET_NUMBER = "T-000042"
OPEN_STATES = frozenset({"draft", "submitted", "in_review", "needs_information"})

RAISE = object()
"""Put in ``FEE_ANSWER`` to make the fee hook raise."""
FEE_ANSWER: list[Any] = []
"""When not empty, the fee hook answers its first item instead of computing (``RAISE``: it raises)."""
ELIGIBILITY_RAISES: list[Exception] = []
"""When not empty, the eligibility hook raises its first item (a plugin bug, or an outside record it cannot read)."""
CHOICE_CALLS: list[str] = []
"""The ID number of the person each time the office choices were worked out (``-`` for nobody)."""


def reset() -> None:
    FEE_ANSWER.clear()
    ELIGIBILITY_RAISES.clear()
    CHOICE_CALLS.clear()


def offices_for_person() -> list[tuple[str, str]]:
    """Citizens may choose either office, residents only Riyadh's; nobody signed in gets nothing."""
    person = sdk.current_person()
    CHOICE_CALLS.append(person.id_number if person is not None else "-")
    if person is None:
        return []
    riyadh = (RIYADH, f"Riyadh office (for {person.first_name_en})")
    if person.id_type == "citizen":
        return [riyadh, (JEDDAH, "Jeddah office (citizens only)")]
    return [riyadh]


class LicenceSchema(Schema):
    office = fields.String(required=True, metadata=field(label="Office", widget="radio", choices=offices_for_person))
    value = SarAmountField(required=True, metadata=field(label="Declared value in SAR"))


class TicketSchema(Schema):
    office = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in OFFICES]),
        metadata=field(label="Office", widget="select", choices=OFFICES),
    )
    subject = fields.String(required=True, validate=validate.Length(max=200), metadata=field(label="What is it about"))
    attachment = fields.String(load_default=None, allow_none=True, metadata=field(label="Attachment", widget="file"))


LICENCE = Service(
    slug="licence",
    name="Trade licence",
    summary="A licence whose fee depends on the declared value.",
    steps=(FormStep("about", "About the licence", LicenceSchema),),
    reference_prefix="LIC",
    fee_setting="licence_fee",
    scope_answer="about.office",
)
TICKET = Service(
    slug="ticket",
    name="Support ticket",
    summary="A ticket an office answers once its advance is paid.",
    steps=(FormStep("ticket", "Your ticket", TicketSchema),),
    reference_prefix="TKT",
    fee_setting="ticket_fee",
    scope_answer="ticket.office",
    states=(
        WorkflowState("accepted", "Accepted by the office"),
        WorkflowState("in_progress", "Being handled"),
        WorkflowState("answered", "Answered"),
        WorkflowState("closed", "Closed", terminal=True),
    ),
    transitions=(
        Transition("submitted", "accepted", "staff", "Accept the ticket"),
        Transition("submitted", "rejected", "staff", "Reject the ticket"),
        Transition("accepted", "in_progress", "system", "Advance received", on_payment=True),
        Transition("in_progress", "answered", "staff", "Send the answer", needs_comment=True),
        Transition("answered", "in_progress", "citizen", "Reply to the office", needs_comment=True),
        Transition("answered", "closed", "citizen", "Close the ticket"),
        Transition("submitted", "withdrawn", "citizen", "Withdraw"),
        Transition("answered", "withdrawn", "citizen", "Withdraw"),
    ),
    extra_labels=(("ticket_number", "Ticket number"), ("handled_by", "Handled by")),
)
PROGRAM = Program(
    slug=SLUG,
    name="Engine probe",
    summary="Exercises eligibility, dynamic choices, fees, citizen moves and scopes.",
    translations=translations,
    services=(LICENCE, TICKET),
)

blueprint = sdk.Blueprint("engine_probe", __name__)


@blueprint.get("/mine")
@sdk.login_required
def mine() -> dict[str, Any]:
    """The person's own applications to this program (``?service=`` narrows to one service)."""
    person = sdk.current_person()
    assert person is not None  # login_required
    service = sdk.request.args.get("service") or None
    return {
        "applications": [
            {
                "reference": view.reference,
                "service": view.service,
                "state": view.state,
                "state_label": view.state_label,
                "scope": view.scope,
                "url": sdk.application_url(view.reference),
            }
            for view in sdk.applications_of(SLUG, person, service)
        ]
    }


@hookimpl
def gateway_register_program() -> Program:
    return PROGRAM


@hookimpl
def gateway_register_settings() -> list[Setting]:
    return [
        Setting("licence_fee", Decimal("75.00"), parse_decimal(minimum=Decimal("0")), "Licence fee when not computed."),
        Setting("ticket_fee", Decimal("20.00"), parse_decimal(minimum=Decimal("0")), "The advance on a ticket."),
    ]


@hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return blueprint


@hookimpl
def gateway_check_eligibility(service: Service, person: PersonView) -> list[EligibilityCheck] | None:
    if service.slug != LICENCE.slug:
        return None
    if ELIGIBILITY_RAISES:
        raise ELIGIBILITY_RAISES[0]
    standing = sdk.registry_standing(person)
    if standing is None:
        return [EligibilityCheck("The national registry knows you", False, "Ask the registry to add your record.")]
    owed = standing.unpaid_violations
    open_licences = [
        view.reference for view in sdk.applications_of(SLUG, person, LICENCE.slug) if view.state in OPEN_STATES
    ]
    return [
        EligibilityCheck(
            "Your Absher account is active",
            standing.account_active,
            "" if standing.account_active else "Activate it at an Absher kiosk.",
        ),
        EligibilityCheck(
            "You have no unpaid traffic violations",
            owed == 0,
            f"You owe {owed} SAR in traffic violations. Pay them, then come back." if owed else "",
        ),
        EligibilityCheck(
            "You have no licence application in progress",
            not open_licences,
            f"Wait for {', '.join(open_licences)} to be decided." if open_licences else "",
        ),
    ]


@hookimpl
def gateway_application_fee(service: Service, answers: Mapping[str, Any]) -> Any:
    if service.slug != LICENCE.slug:
        return None
    if FEE_ANSWER:
        answer = FEE_ANSWER[0]
        if answer is RAISE:
            raise RuntimeError("engine probe: the fee table is missing")
        return answer
    value = Decimal(str(answers["about"]["value"]))
    return (value * FEE_SHARE).quantize(Decimal("0.01"))


@hookimpl
def gateway_application_transitioned(application: sdk.ApplicationView, target: str) -> Mapping[str, Any] | None:
    if application.service == TICKET.slug and target == "accepted":
        return {"ticket_number": TICKET_NUMBER, "internal_score": "seven-of-ten"}
    return None
