"""How a dated parameter's value, date and source read on a page or in an API answer.

Numbers, amounts and dates go through the SDK's formatting layer
(``bawaba_sdk.formatting``), re-exported here for the rules page, the
calculation API and the explanation macro.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from bawaba_sdk.formatting import format_amount, format_number, format_percent
from bawaba_sdk.i18n import SUPPORTED_LANGUAGES, TranslationDomain, current_language, in_language
from bawaba_sdk.parameters import DatedValue

WHOLE_UNITS = frozenset({"months", "years", "days", "count", "people"})


def _language(language: str | None) -> str:
    chosen = language or current_language()
    return chosen if chosen in SUPPORTED_LANGUAGES else SUPPORTED_LANGUAGES[0]


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
