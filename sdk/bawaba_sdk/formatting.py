"""How numbers, amounts, dates, times and countries read on a page: one layer for the host and every plugin.

Why one layer: the same fee must not read ``2000.00 SAR`` on one page and
``2,000.00 SAR`` on the next, nor a date typed in the Hijri calendar come back
as ``1440-07-15``. Every figure a person sees goes through these functions
(Babel's CLDR data, in the person's language); templates reach them as Jinja
filters the host registers (:data:`JINJA_FILTERS`):

    {{ bill.amount|amount }}  {{ count|number }}  {{ visa.expires_on|date }}
    {{ birth_day|hijri_date }}  {{ message.created_at|datetime }}  {{ "PH"|country }}

Choices made once, here:

* Digits are Latin (``0-9``) in both languages, as on Saudi government forms
  and bank statements, so an amount reads the same on a bill and on a receipt.
* Riyals in Arabic are written ``ر.س`` without CLDR's closing dot, so a
  sentence ending in an amount does not end in ``ر.س..``; in English
  ``2,000.00 SAR`` (CLDR's ``SAR2,000.00`` reads badly with a code).
* Times are shown in Saudi time (``Asia/Riyadh``, UTC+3 all year) with the
  zone named, because the person may be abroad and the server is in UTC.
* Hijri dates are Umm al-Qura (``hijridate``), written with the month's name
  and ``AH``/``هـ``; :func:`format_date` can add the Hijri day after the
  Gregorian one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_timezone
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent
from hijridate import Gregorian, Hijri

from .i18n import SUPPORTED_LANGUAGES, current_language

ZONE = get_timezone("Asia/Riyadh")
"""The zone every time is shown in."""

_LOCALES = {code: Locale.parse(code) for code in SUPPORTED_LANGUAGES}
_CURRENCY_SUFFIX = {"ar": {"SAR": "ر.س"}, "en": {"SAR": "SAR"}}
_NBSP = "\u00a0"
_AMOUNT_PATTERN = "#,##0.00"
_DAY_PATTERN = "d MMMM y"


def _language(language: str | None) -> str:
    """``language`` if supported, else the request's (outside a request: Arabic, the default)."""
    if language in _LOCALES:
        return str(language)
    try:
        chosen = current_language()
    except (RuntimeError, KeyError, AttributeError):
        chosen = SUPPORTED_LANGUAGES[0]
    return chosen if chosen in _LOCALES else SUPPORTED_LANGUAGES[0]


def _decimal(value: Decimal | int | float | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_amount(amount: Decimal | int | float | str, currency: str = "SAR", *, language: str | None = None) -> str:
    """An amount of money with its currency, two decimals: ``2,000.00 SAR`` / ``2,000.00 ر.س``."""
    chosen = _language(language)
    figure = format_decimal(_decimal(amount), format=_AMOUNT_PATTERN, locale=_LOCALES[chosen])
    suffix = _CURRENCY_SUFFIX[chosen].get(currency, currency)
    # Arabic keeps CLDR's no-break space (the sign never wraps away from its figure on a phone).
    return f"{figure}{_NBSP if chosen == 'ar' else ' '}{suffix}"


def format_number(value: Decimal | int | float | str, *, language: str | None = None) -> str:
    """A count or a quantity, grouped by thousands with the decimals it has: ``18,000``, ``2.5``."""
    return format_decimal(_decimal(value), locale=_LOCALES[_language(language)])


def format_percent(share: Decimal | int | float | str, *, language: str | None = None) -> str:
    """A share given as a fraction, as a percentage: ``0.25`` → ``25%``, ``0.125`` → ``12.5%``."""
    return babel_format_percent(_decimal(share), format="#,##0.##%", locale=_LOCALES[_language(language)])


def _day(value: datetime.date | datetime.datetime | str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return to_local(value).date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def format_date(
    value: datetime.date | datetime.datetime | str, *, language: str | None = None, with_hijri: bool = False
) -> str:
    """A Gregorian day, written out: ``1 March 2025`` / ``1 مارس 2025``.

    A moment (``datetime``) is first moved to Saudi time, so a bill paid at
    23:30 UTC shows the next day, as the person lived it. ``with_hijri`` adds
    the Umm al-Qura day in brackets: ``22 March 2019 (15 Rajab 1440 AH)``.
    """
    chosen = _language(language)
    day = _day(value)
    text = babel_format_date(day, _DAY_PATTERN, locale=_LOCALES[chosen])
    if with_hijri:
        try:
            hijri = Gregorian(day.year, day.month, day.day).to_hijri()
        except (OverflowError, ValueError):
            return text
        text = f"{text} ({_hijri_text(hijri, chosen)})"
    return text


def _hijri_text(hijri: Hijri, language: str) -> str:
    names: Literal["ar", "en"] = "ar" if language == "ar" else "en"
    return f"{hijri.day} {hijri.month_name(names)} {hijri.year}{_NBSP}{hijri.notation(names)}"


def format_hijri_date(value: Any, *, language: str | None = None) -> str:
    """An Umm al-Qura day with its month's name: ``15 Rajab 1440 AH`` / ``15 رجب 1440 هـ``.

    ``value`` is a Hijri date as the forms keep it (``"1440-07-15"``, or any
    object with ``year``, ``month`` and ``day`` such as the SDK's ``HijriDate``),
    or a Gregorian ``date``, which is converted. Something else is returned as
    text rather than failing the page.
    """
    chosen = _language(language)
    try:
        if isinstance(value, datetime.date):
            day = _day(value)
            hijri = Gregorian(day.year, day.month, day.day).to_hijri()
        elif isinstance(value, str):
            year, month, day_of_month = (int(part) for part in value.strip()[:10].split("-"))
            hijri = Hijri(year, month, day_of_month)
        else:
            hijri = Hijri(int(value.year), int(value.month), int(value.day))
    except (AttributeError, OverflowError, TypeError, ValueError):
        return str(value)
    return _hijri_text(hijri, chosen)


def to_local(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in Saudi time; a naive value is taken as UTC (how the database keeps times)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(ZONE)


def format_datetime(moment: datetime.datetime, *, language: str | None = None) -> str:
    """A moment in Saudi time with the zone named: ``8 December 2026, 01:48 Saudi Arabia Time``."""
    return _datetime_text(_language(language), _to_the_minute(moment))


def format_time(moment: datetime.datetime, *, language: str | None = None) -> str:
    """The time of day only, in Saudi time with the zone: ``01:48 Saudi Arabia Time``."""
    return _time_text(_language(language), _to_the_minute(moment))


def _to_the_minute(moment: datetime.datetime) -> datetime.datetime:
    """The moment in Saudi time without what is not shown (seconds), so equal texts share one cache entry."""
    return to_local(moment).replace(second=0, microsecond=0)


@lru_cache(maxsize=4096)
def _datetime_text(language: str, local: datetime.datetime) -> str:
    """Formatted once per minute and language: Babel parses its patterns and looks up the zone's name on
    every call, which made the times of a 20-row dashboard a seventh of its CPU."""
    locale = _LOCALES[language]
    day = babel_format_date(local.date(), _DAY_PATTERN, locale=locale)
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{1}", day).replace("{0}", _time_text(language, local))


@lru_cache(maxsize=4096)
def _time_text(language: str, local: datetime.datetime) -> str:
    return babel_format_time(local, "HH:mm v", tzinfo=ZONE, locale=_LOCALES[language])


def country_name(code: str, *, language: str | None = None) -> str:
    """The name of the country ``code`` (ISO 3166-1 alpha-2, ``"PH"``), never the code when CLDR knows it."""
    return str(_LOCALES[_language(language)].territories.get(code.upper(), code))


JINJA_FILTERS: dict[str, Callable[..., str]] = {
    "amount": format_amount,
    "number": format_number,
    "percent": format_percent,
    "date": format_date,
    "hijri_date": format_hijri_date,
    "datetime": format_datetime,
    "time": format_time,
    "country": country_name,
}
"""The filters the host registers on its Jinja environment, for its own pages and every plugin's."""

__all__ = [
    "JINJA_FILTERS",
    "ZONE",
    "country_name",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_hijri_date",
    "format_number",
    "format_percent",
    "format_time",
    "to_local",
]
