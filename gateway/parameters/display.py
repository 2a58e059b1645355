"""How a dated parameter's value, date and source read on a page or in an API answer.

Numbers, amounts and dates go through the four functions at the top, which
have the signatures of the SDK's formatting layer (``format_amount``,
``format_number``, ``format_percent``, ``format_date``): every figure the
rules page, the calculation API and the explanation macro show passes
through them, so moving to that layer is a change of import here only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent
from flask_babel import gettext as _
from flask_babel import ngettext

from bawaba_sdk.i18n import SUPPORTED_LANGUAGES, TranslationDomain, current_language, in_language
from bawaba_sdk.parameters import DatedValue
from bawaba_sdk.validators.money import format_sar

_LOCALES = {code: Locale.parse(code) for code in SUPPORTED_LANGUAGES}
WHOLE_UNITS = frozenset({"months", "years", "days", "count", "people"})


def _language(language: str | None) -> str:
    chosen = language or current_language()
    return chosen if chosen in _LOCALES else SUPPORTED_LANGUAGES[0]


def format_amount(amount: Decimal | int | str, currency: str = "SAR", *, language: str | None = None) -> str:
    """An amount of money with its currency, two decimals: ``2,000.00 SAR`` / ``2,000.00 ر.س.``."""
    chosen = _language(language)
    if currency == "SAR":
        return format_sar(Decimal(amount), chosen)
    return f"{format_decimal(Decimal(amount), format='#,##0.00', locale=_LOCALES[chosen])}\u00a0{currency}"


def format_number(value: Decimal | int | str, *, language: str | None = None) -> str:
    """A count or a quantity, grouped by thousands with the decimals it has: ``18,000``, ``2.5``."""
    return format_decimal(Decimal(value), locale=_LOCALES[_language(language)])


def format_percent(share: Decimal | int | str, *, language: str | None = None) -> str:
    """A share given as a fraction, as a percentage: ``0.25`` → ``25%``, ``0.125`` → ``12.5%``."""
    return babel_format_percent(Decimal(share), format="#,##0.##%", locale=_LOCALES[_language(language)])


def format_date(value: datetime.date | str, *, language: str | None = None) -> str:
    """A day, written out: ``1 March 2025`` / ``1 مارس 2025``."""
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return babel_format_date(day, "d MMMM y", locale=_LOCALES[_language(language)])


def value_text(value: DatedValue, language: str | None = None) -> str:
    """A parameter's value with its unit, in ``language`` (default: the request's)."""
    chosen = _language(language)
    with in_language(chosen):
        raw = value.value
        if value.unit == "flag":
            return _("Yes") if raw else _("No")
        number = Decimal(raw)
        if value.unit == "SAR":
            return format_amount(number, language=chosen)
        if value.unit == "SAR/month":
            return _("%(amount)s a month", amount=format_amount(number, language=chosen))
        if value.unit == "SAR/year":
            return _("%(amount)s a year", amount=format_amount(number, language=chosen))
        if value.unit == "SAR/day":
            return _("%(amount)s a day", amount=format_amount(number, language=chosen))
        if value.unit == "percent":
            return format_percent(number / 100, language=chosen)
        count = int(number)
        shown = format_number(count, language=chosen)
        if value.unit == "months":
            return ngettext("%(count)s month", "%(count)s months", count, count=shown)
        if value.unit == "years":
            return ngettext("%(count)s year", "%(count)s years", count, count=shown)
        if value.unit == "days":
            return ngettext("%(count)s day", "%(count)s days", count, count=shown)
        if value.unit == "people":
            return ngettext("%(count)s person", "%(count)s people", count, count=shown)
        return shown


def label_text(value: DatedValue, translations: TranslationDomain, language: str | None = None) -> str:
    """The parameter's label (an English msgid of the plugin's domain) in ``language``."""
    with in_language(_language(language)):
        return translations.gettext(value.label)


def source_text(value: DatedValue, translations: TranslationDomain, language: str | None = None) -> str:
    """Where the value was published, in ``language``; an operator's override says so instead."""
    with in_language(_language(language)):
        if value.overridden_by:
            return _("Set by the portal's operator (%(setting)s)", setting=value.overridden_by)
        return translations.gettext(value.source)
