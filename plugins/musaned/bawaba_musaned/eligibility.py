"""Who may request a recruitment visa, rule by rule, with the figures and what to do.

The host runs :func:`visa_checks` before every page of the visa request and
on submission; the program's own ``/musaned/eligibility`` page shows the same
checks before the person starts. Everything comes from the registry as it is
now (``sdk.registry_standing``) and from configuration (which ID types may
apply, the minimum income per ID type, how many requests may be open), so an
operator changes the rules without touching code, and a fine paid this
morning counts this morning.

``sdk.RegistryUnavailable`` is not caught: the host answers "try again later",
which is the truth, rather than "you are not eligible", which would not be.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.validators import format_sar

from .i18n import _, ngettext
from .web import SLUG

NEW_VISA = "new_visa"
CITIZEN = "citizen"
RESIDENT = "resident"
ID_TYPES = (CITIZEN, RESIDENT)
OPEN_STATES = frozenset({"submitted", "fee_paid", "in_review", "needs_information"})
"""A request in one of these states is still waiting for a decision (it counts towards the limit)."""


def settings() -> Mapping[str, Any]:
    """Musaned's parsed settings for this request."""
    return sdk.plugin_settings(SLUG)


def sar(amount: Decimal) -> str:
    """An amount in SAR with two decimals, in the request's language."""
    return format_sar(amount, sdk.current_language())


def minimum_income(id_type: str) -> Decimal:
    """The minimum monthly income for a visa, for a citizen or a resident."""
    values = settings()
    key = "min_monthly_income_citizen" if id_type == CITIZEN else "min_monthly_income_resident"
    return Decimal(values[key])


def visa_checks(person: sdk.PersonView) -> list[sdk.EligibilityCheck]:
    """Every condition of a visa request for ``person``, passed or not.

    :raises sdk.RegistryUnavailable: the registry cannot answer now.
    """
    checks = [_id_type_check(person)]
    standing = sdk.registry_standing(person)
    if standing is None:
        checks.append(
            sdk.EligibilityCheck(
                label=_("Your Absher account is active"),
                passed=False,
                detail=_(
                    "The national registry has no record for your ID number now. Contact Absher to correct your "
                    "record, then come back."
                ),
            )
        )
        return checks
    checks.append(_account_check(standing.account_active))
    checks.append(_violations_check(standing.unpaid_violations))
    checks.append(_capacity_check(person.id_type, standing.monthly_income))
    limit = int(settings()["max_open_visa_requests"])
    if limit > 0:
        checks.append(_open_requests_check(person, limit))
    return checks


def failed(checks: list[sdk.EligibilityCheck]) -> list[sdk.EligibilityCheck]:
    """The checks the person does not meet."""
    return [check for check in checks if not check.passed]


def _id_type_check(person: sdk.PersonView) -> sdk.EligibilityCheck:
    allowed = tuple(settings()["allowed_id_types"])
    if set(allowed) >= set(ID_TYPES):
        detail = _("Visa requests are open to citizens and residents.")
    elif CITIZEN in allowed:
        detail = _("Visa requests are open to citizens only.")
    else:
        detail = _("Visa requests are open to residents only.")
    return sdk.EligibilityCheck(
        label=_("Your type of ID may request a visa"), passed=person.id_type in allowed, detail=detail
    )


def _account_check(active: bool) -> sdk.EligibilityCheck:
    detail = (
        _("Your account on Absher is active.")
        if active
        else _("Your account on Absher is not active. Activate it on Absher, then come back to request the visa.")
    )
    return sdk.EligibilityCheck(label=_("Your Absher account is active"), passed=active, detail=detail)


def _violations_check(unpaid: Decimal) -> sdk.EligibilityCheck:
    if unpaid > 0:
        detail = _(
            "You have %(amount)s of unpaid traffic violations. They must be paid first: pay them through SADAD "
            "or Absher, then come back to request the visa.",
            amount=sar(unpaid),
        )
    else:
        detail = _("No unpaid traffic violations are registered for you.")
    return sdk.EligibilityCheck(label=_("You have no unpaid traffic violations"), passed=unpaid <= 0, detail=detail)


def _capacity_check(id_type: str, income: Decimal | None) -> sdk.EligibilityCheck:
    label = _("Your financial capacity meets the minimum")
    minimum = minimum_income(id_type)
    if income is None:
        detail = _(
            "No monthly income is registered for you. Your financial capacity will be assessed from the salary "
            "certificate or bank statement you upload with the request: at least %(minimum)s a month.",
            minimum=sar(minimum),
        )
        return sdk.EligibilityCheck(label=label, passed=True, detail=detail)
    passed = income >= minimum
    if id_type == CITIZEN:
        detail = _(
            "Your registered monthly income is %(income)s; the minimum for citizens is %(minimum)s.",
            income=sar(income),
            minimum=sar(minimum),
        )
    else:
        detail = _(
            "Your registered monthly income is %(income)s; the minimum for residents is %(minimum)s.",
            income=sar(income),
            minimum=sar(minimum),
        )
    if not passed:
        detail = " ".join((detail, _("You can request a visa once your registered income reaches the minimum.")))
    return sdk.EligibilityCheck(label=label, passed=passed, detail=detail)


def _open_requests_check(person: sdk.PersonView, limit: int) -> sdk.EligibilityCheck:
    open_requests = sum(
        1 for application in sdk.applications_of(SLUG, person, NEW_VISA) if application.state in OPEN_STATES
    )
    detail = ngettext(
        "You have %(num)d visa request waiting for a decision; at most %(limit)s may wait at the same time.",
        "You have %(num)d visa requests waiting for a decision; at most %(limit)s may wait at the same time.",
        open_requests,
        limit=limit,
    )
    passed = open_requests < limit
    if not passed:
        detail = " ".join((detail, _("Wait for a decision on one of them, or withdraw one, then come back.")))
    return sdk.EligibilityCheck(
        label=_("Your visa requests waiting for a decision are within the limit"), passed=passed, detail=detail
    )
