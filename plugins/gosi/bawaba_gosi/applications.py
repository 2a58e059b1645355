"""GOSI's pension application: the form, who may apply, and what approval records.

The form is the host's forms engine (one step: the IBAN, checked by the
SDK's :class:`SaudiIbanField`, and the bank's letter as a document); the
review is the common workflow (staff move it to ``in_review``, then
``approved`` or ``rejected``). Who may apply is the pension calculation's own
conditions on the person's record, so the estimate page and the application
can never disagree. At submission the pension is worked out from the record
and kept in the application's ``extra``; approval makes it the monthly
pension the person's GOSI page and dashboard show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import GregorianDateField, SaudiIbanField, Schema, field, fields, validate

from .adapters import records
from .calculations import pension
from .i18n import SLUG, _, _l, as_message
from .records import Contributor
from .services import pension_situation

PENSION = "pension"


class PensionPayment(Schema):
    """Where the pension is paid, and the bank's word that the account is the person's."""

    id_number = fields.String(required=True, metadata=field(label=_l("ID number"), prefill="id_number"))
    birth_date = GregorianDateField(required=True, metadata=field(label=_l("Date of birth"), prefill="birth_date"))
    iban = SaudiIbanField(
        required=True,
        metadata=field(
            label=_l("IBAN of your bank account"),
            help=_l("SA and 22 digits, as on your bank card or statement. The account must be in your name."),
            autocomplete="off",
        ),
    )
    bank_letter = fields.String(
        required=True,
        metadata=field(
            label=_l("Letter from your bank confirming the IBAN"), widget="file", help=_l("PDF, JPEG or PNG.")
        ),
    )
    declaration = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error=as_message(_l("Confirm the declaration to send the application."))),
        metadata=field(
            label=_l("Declaration"),
            help=_l("The information is correct and the bank account is in my name."),
        ),
    )


SERVICE_STEPS = (sdk.FormStep("payment", _l("Where to pay your pension"), PensionPayment),)
EXTRA_LABELS = (
    ("estimated_pension", _l("Monthly pension worked out at submission")),
    ("monthly_pension", _l("Approved monthly pension")),
    ("paid_from", _l("Paid from")),
)


def explained_pension(contributor: Contributor, birth_date: date, on: date) -> sdk.Explanation:
    """The pension the record gives someone born on ``birth_date``, on day ``on``."""
    return pension(pension_situation(contributor, birth_date, on), sdk.plugin_parameters(SLUG))


def eligibility(person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck]:
    """The pension's conditions on the person's record; GOSI not answering is said plainly, never "not eligible"."""
    from .account import activation_of

    try:
        contributor = records().contributor(person.id_number)
    except sdk.AdapterUnavailable:
        return [sdk.EligibilityCheck(_l("GOSI answered"), False, _l("GOSI is not answering, try again later."))]
    if contributor is None:
        return [
            sdk.EligibilityCheck(_l("You have a social insurance record"), False, _l("GOSI has no record for you."))
        ]
    checks = [
        sdk.EligibilityCheck(
            _l("Your social insurance account is active"),
            activation_of(person) is not None,
            _l("Activate it on My social insurance first."),
        ),
        sdk.EligibilityCheck(
            _l("You are covered by the annuities branch"),
            contributor.covered_for_annuities,
            _l("Workers covered for occupational hazards only have no pension."),
        ),
    ]
    result = explained_pension(contributor, person.birth_date, date.today())
    for condition in result.conditions:
        detail = _(condition.detail, **{k: v for k, v in condition.variables.items() if not isinstance(v, date)})
        label = _(condition.label, **{k: v for k, v in condition.variables.items() if not isinstance(v, date)})
        checks.append(sdk.EligibilityCheck(label, condition.met, detail))
    return checks


def transitioned(application: sdk.ApplicationView, target: str) -> Mapping[str, Any] | None:
    """At submission the pension is worked out and kept; on approval it becomes the monthly pension."""
    if target == "submitted":
        payment = application.answers.get("payment", {})
        contributor = records().contributor(str(payment.get("id_number", "")))
        if contributor is None:
            raise LookupError("no GOSI record for the applicant")
        born = date.fromisoformat(str(payment["birth_date"]))
        result = explained_pension(contributor, born, date.today())
        return {"estimated_pension": str(result.amount)}
    if target == "approved":
        today = date.today()
        first_of_next = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        return {"monthly_pension": application.extra.get("estimated_pension"), "paid_from": first_of_next.isoformat()}
    return None


def approved_pension(person: sdk.PersonView) -> sdk.ApplicationView | None:
    """The person's approved pension application, if any (the newest)."""
    approved = [item for item in sdk.applications_of(SLUG, person, PENSION) if item.state == "approved"]
    return approved[0] if approved else None
