"""Objection (اعتراض) to a decision on an application for support: a reason and documents, in time.

A household may object to a rejection, or to the amount of an approval,
within ``GATEWAY_SOCIAL_SECURITY_OBJECTION_DAYS`` days of the decision (the
application's last move). The objection names the decided application by its
reference; staff uphold it or dismiss it with a reason the household reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import validate as mv

import bawaba_sdk as sdk
from bawaba_sdk.forms import Schema, field, fields

from .apply import SERVICE as APPLY
from .i18n import _, _l, as_message
from .situation import SLUG

SERVICE = "objection"
DEFAULT_DAYS = 30
"""Days after a decision to object, when the setting is not read."""
DECIDED = ("approved", "rejected")
GROUNDS = (
    ("rejection", _l("The application was rejected")),
    ("amount", _l("The monthly amount is wrong")),
)


class ObjectionSchema(Schema):
    reference = fields.String(
        required=True,
        validate=mv.Length(min=4, max=40, error=as_message(_l("Enter the reference of the decided application."))),
        metadata=field(label=_l("Reference of the decided application"), help=_l("For example DSS-7KQ2X9PB.")),
    )
    grounds = fields.String(
        required=True,
        validate=mv.OneOf([value for value, _label in GROUNDS], error=as_message(_l("Choose what you object to."))),
        metadata=field(label=_l("You object to"), widget="radio", choices=GROUNDS),
    )
    reason = fields.String(
        required=True,
        validate=mv.Length(min=10, max=2000, error=as_message(_l("Explain your objection in 10 to 2,000 characters."))),
        metadata=field(label=_l("Why you object"), widget="textarea"),
    )
    evidence = fields.String(
        load_default=None,
        allow_none=True,
        metadata=field(
            label=_l("A document that supports your objection"),
            widget="file",
            help=_l("Optional. A PDF, JPEG or PNG file of at most 10 MB."),
        ),
    )


OBJECTION = sdk.Service(
    slug=SERVICE,
    name=_l("Object to a decision"),
    summary=_l("Object to a rejection or to the amount decided, with your reason and a document, in time."),
    steps=(sdk.FormStep("objection", _l("Your objection"), ObjectionSchema),),
    reference_prefix="DSO",
    transitions=(
        sdk.Transition("submitted", "in_review", "staff", _l("Start the review")),
        sdk.Transition("in_review", "approved", "staff", _l("Uphold the objection")),
        sdk.Transition("in_review", "rejected", "staff", _l("Dismiss the objection"), needs_comment=True),
        sdk.Transition("submitted", "withdrawn", "citizen", _l("Withdraw")),
    ),
)


def objection_days() -> int:
    try:
        return int(sdk.plugin_settings(SLUG)["objection_days"])
    except (RuntimeError, KeyError):
        return DEFAULT_DAYS


def _open_decisions(person: sdk.PersonView, now: datetime) -> list[sdk.ApplicationView]:
    """The person's decided applications whose decision is recent enough to object to."""
    limit = timedelta(days=objection_days())
    return [
        application
        for application in sdk.applications_of(SLUG, person, APPLY)
        if application.state in DECIDED
        and application.updated_at is not None
        and now - _aware(application.updated_at) <= limit
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def eligibility_checks(person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck]:
    """Objecting needs a decision on an application for support made in the last N days."""
    days = objection_days()
    passed = bool(_open_decisions(person, datetime.now(UTC)))
    return [
        sdk.EligibilityCheck(
            _l("A decision on your application was made in the last %(days)s days", days=days),
            passed,
            "" if passed else _l("You can object within %(days)s days of a decision on your application.", days=days),
        )
    ]


def validate_objection(step: sdk.FormStep, data: Mapping[str, Any], person: sdk.PersonView) -> dict[str, str] | None:
    """The reference must be one of the person's own decisions still open to objection."""
    if step.slug != "objection":
        return None
    typed = sdk.normalise_reference(data["reference"])
    if not any(application.reference == typed for application in _open_decisions(person, datetime.now(UTC))):
        return {
            "reference": _(
                "This is not one of your decided applications of the last %(days)s days.", days=objection_days()
            )
        }
    return None
