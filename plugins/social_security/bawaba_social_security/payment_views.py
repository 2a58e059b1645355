"""The household's payment history and each month's statement (``/social_security/payments``).

Only the signed-in head of household's own months: the URL names a month,
never a household, so nobody reaches another's statement. A statement renders
the explanation stored by the cycle, in the reader's language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import bawaba_sdk as sdk
from bawaba_sdk.validators.money import format_sar

from .cycle import history
from .i18n import _l
from .payments_db import PAID
from .program import SLUG
from .web import bp

REASONS = {
    "no_confirmed_profile": _l("There is no confirmed unified profile to assess. Confirm your profile."),
    "not_eligible": _l("The household did not meet the programme's conditions this month; the statement says why."),
    "bad_profile": _l("Your unified profile could not be assessed. Check and confirm it again."),
}


MONTHS = (
    _l("January %(year)s"),
    _l("February %(year)s"),
    _l("March %(year)s"),
    _l("April %(year)s"),
    _l("May %(year)s"),
    _l("June %(year)s"),
    _l("July %(year)s"),
    _l("August %(year)s"),
    _l("September %(year)s"),
    _l("October %(year)s"),
    _l("November %(year)s"),
    _l("December %(year)s"),
)


def month_name(day: date) -> str:
    """The Gregorian month of ``day`` with its year, in the reader's language."""
    return str(MONTHS[day.month - 1]) % {"year": day.year}


def amount_text(amount: Decimal | None) -> str:
    """An amount in SAR as the reader's language writes it."""
    return format_sar(amount if amount is not None else Decimal(0), sdk.current_language())


def _person() -> sdk.PersonView:
    person = sdk.current_person()
    assert person is not None  # guarded by login_required
    return person


@bp.get("/payments")
@sdk.login_required
def payments() -> str:
    """Every assessed month, newest first: paid with the amount, or suspended with the reason."""
    months = history(sdk.db_session(), _person().id)
    return sdk.render_template(
        f"{SLUG}/payments.html",
        months=months,
        reasons=REASONS,
        paid=PAID,
        month_name=month_name,
        amount_text=amount_text,
    )


@bp.get("/payments/<int:year>-<int:month>")
@sdk.login_required
def statement(year: int, month: int) -> str:
    """One month's statement: the amount and every line of how it was worked out."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        sdk.abort(404)
    wanted = date(year, month, 1)
    found = next((row for row in history(sdk.db_session(), _person().id) if row.month == wanted), None)
    if found is None:
        sdk.abort(404)
    return sdk.render_template(
        f"{SLUG}/statement.html", row=found, reasons=REASONS, paid=PAID, month_name=month_name, amount_text=amount_text
    )
