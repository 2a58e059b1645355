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
from .calculations import pension, saned
from .i18n import SLUG, _, _l, as_message
from .records import Contributor
from .services import pension_situation, saned_situation

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


def _record_checks(
    person: sdk.PersonView,
) -> list[sdk.EligibilityCheck] | tuple[Contributor, list[sdk.EligibilityCheck]]:
    """The checks every GOSI benefit starts with; a plain list when they already refuse."""
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
            _l("Workers covered for occupational hazards only have no pension and no SANED."),
        ),
    ]
    return contributor, checks


def _as_checks(result: sdk.Explanation) -> list[sdk.EligibilityCheck]:
    """The calculation's conditions as the form's checks, in the reader's language with their figures."""
    checks = []
    for condition in result.conditions:
        variables = {key: value for key, value in condition.variables.items() if not isinstance(value, date)}
        checks.append(
            sdk.EligibilityCheck(_(condition.label, **variables), condition.met, _(condition.detail, **variables))
        )
    return checks


def eligibility(person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck]:
    """The pension's conditions on the person's record; GOSI not answering is said plainly, never "not eligible"."""
    base = _record_checks(person)
    if isinstance(base, list):
        return base
    contributor, checks = base
    result = explained_pension(contributor, person.birth_date, date.today())
    return [*checks, *_as_checks(result)]


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


# -- SANED ------------------------------------------------------------------------------------

SANED = "saned"


class SanedPayment(Schema):
    """Where SANED's allowance is paid."""

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
    declaration = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error=as_message(_l("Confirm the declaration to send the application."))),
        metadata=field(
            label=_l("Declaration"),
            help=_l("I am looking for work and will report a new job to GOSI at once."),
        ),
    )


SANED_STEPS = (sdk.FormStep("payment", _l("Where to pay the allowance"), SanedPayment),)
SANED_EXTRA_LABELS = (
    ("first_months", _l("Monthly allowance in the first months")),
    ("later_months", _l("Monthly allowance in the later months")),
    ("total", _l("Total over the allowance's months")),
)


def explained_saned(contributor: Contributor, birth_date: date, on: date) -> sdk.Explanation:
    """SANED's allowance and conditions for the record of someone born on ``birth_date``, on day ``on``."""
    return saned(saned_situation(contributor, birth_date, on), sdk.plugin_parameters(SLUG))


def saned_eligibility(person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck]:
    """SANED's conditions on the person's record, each with the person's figures."""
    base = _record_checks(person)
    if isinstance(base, list):
        return base
    contributor, checks = base
    ended = sdk.EligibilityCheck(
        _l("Your last job has ended"),
        contributor.last_registration is not None,
        _l("SANED is paid only after a job ends."),
    )
    result = explained_saned(contributor, person.birth_date, date.today())
    return [*checks, ended, *_as_checks(result)]


def saned_transitioned(application: sdk.ApplicationView, target: str) -> Mapping[str, Any] | None:
    """At submission the allowance is worked out month by month and kept with the application."""
    if target != "submitted":
        return None
    payment = application.answers.get("payment", {})
    contributor = records().contributor(str(payment.get("id_number", "")))
    if contributor is None:
        raise LookupError("no GOSI record for the applicant")
    result = explained_saned(contributor, date.fromisoformat(str(payment["birth_date"])), date.today())
    months = [row["amount"] for row in result.breakdown]
    return {"first_months": months[0], "later_months": months[-1], "total": str(result.amount)}
