"""Occupational injury treatment: a request for sessions (physiotherapy) with the physician's referral.

The person picks one of their injury cases under treatment (read from GOSI's
record), says how many sessions the referral asks for, and uploads it; staff
with the program's ``medical`` role, and only they, review and approve the
sessions (the other staff see the request but cannot decide it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import Schema, field, fields, validate

from .adapters import records
from .i18n import _l

TREATMENT = "health_treatment"
MEDICAL = "medical"
KINDS = [("physiotherapy", _l("Physiotherapy sessions")), ("extension", _l("More sessions for the current treatment"))]


def injury_choices() -> list[tuple[str, str]]:
    """The signed-in person's injury cases under treatment, as (case number, what happened)."""
    person = sdk.current_person()
    if person is None:
        return []
    try:
        contributor = records().contributor(person.id_number)
    except sdk.AdapterUnavailable:
        return []
    if contributor is None:
        return []
    return [
        (case.number, f"{case.number}: {case.description}")
        for case in contributor.injuries
        if case.status == "under_treatment"
    ]


class TreatmentRequest(Schema):
    """The case, what is asked for, and the referral."""

    id_number = fields.String(required=True, metadata=field(label=_l("ID number"), prefill="id_number"))
    case = fields.String(required=True, metadata=field(label=_l("Injury case"), widget="radio", choices=injury_choices))
    kind = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in KINDS]),
        metadata=field(label=_l("What you ask for"), widget="radio", choices=KINDS),
    )
    sessions = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=60),
        metadata=field(label=_l("Sessions the referral asks for")),
    )
    referral = fields.String(
        required=True,
        metadata=field(label=_l("The physician's referral"), widget="file", help=_l("PDF, JPEG or PNG.")),
    )


STEPS = (sdk.FormStep("treatment", _l("Your treatment"), TreatmentRequest),)
TRANSITIONS = tuple(replace(move, roles=(MEDICAL,)) if move.by == "staff" else move for move in sdk.COMMON_TRANSITIONS)
"""The common review, decided by medical staff only."""
EXTRA_LABELS = (("approved_sessions", _l("Sessions approved")),)


def eligibility(person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck]:
    try:
        contributor = records().contributor(person.id_number)
    except sdk.AdapterUnavailable:
        return [sdk.EligibilityCheck(_l("GOSI answered"), False, _l("GOSI is not answering, try again later."))]
    under_treatment = contributor is not None and any(case.status == "under_treatment" for case in contributor.injuries)
    return [
        sdk.EligibilityCheck(
            _l("You have an occupational injury under treatment"),
            under_treatment,
            _l("Treatment is requested for an injury case GOSI has accepted. Your employer reports the injury."),
        )
    ]


def transitioned(application: sdk.ApplicationView, target: str) -> Mapping[str, Any] | None:
    if target == "approved":
        return {"approved_sessions": application.answers.get("treatment", {}).get("sessions")}
    return None
