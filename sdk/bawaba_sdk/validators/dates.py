"""Hijri (Umm al-Qura) and Gregorian dates.

Citizens know their birth date in the Hijri calendar — it is what their ID
card shows — while residents' documents use the Gregorian one. We store
Gregorian ``datetime.date`` values (the database, Python and every other
system understand them) and convert at the edges.

Why Umm al-Qura via ``hijridate``: it is the calendar the Saudi government
uses officially, and it is *tabular*, not arithmetic — whether a month has
29 or 30 days comes from the published table, so "30 Ramadan" is valid in
some years and impossible in others. ``hijridate`` ships that table for
1343-1500 AH (1924-08-01 to 2077-11-16); outside it no conversion is
trustworthy, so we refuse such dates with a clear message instead of letting
the library's ``ValueError``/``OverflowError`` become a 500.

Both parsers accept ``YYYY-MM-DD`` and ``DD/MM/YYYY`` (day first, the Saudi
convention), with Arabic-Indic digits and the Arabic date separator ``؍``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from hijridate import Gregorian, Hijri
from hijridate.ummalqura import GREGORIAN_RANGE, HIJRI_RANGE

from bawaba_sdk.digits import normalize_digits, strip_invisibles
from bawaba_sdk.validators.errors import InvalidValue, wrong_type

HIJRI_MIN_YEAR = HIJRI_RANGE[0][0]
HIJRI_MAX_YEAR = HIJRI_RANGE[1][0]
GREGORIAN_MIN = datetime.date(*GREGORIAN_RANGE[0])
"""First Gregorian date that can be converted to Hijri."""
GREGORIAN_MAX = datetime.date(*GREGORIAN_RANGE[1])
"""Last Gregorian date that can be converted to Hijri."""

_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DMY = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
_DASHES = re.compile("[\u2010-\u2015\u2212]")


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _split(value: str, kind: str) -> tuple[int, int, int]:
    """Parse the text of a date into (year, month, day) without validating it."""
    if not isinstance(value, str):
        raise wrong_type(kind)
    text = strip_invisibles(normalize_digits(value))
    text = _DASHES.sub("-", text.replace("\u060d", "/"))
    if not text:
        if kind == "hijri":
            raise InvalidValue("hijri.empty", _l("Enter a Hijri date."))
        raise InvalidValue("gregorian.empty", _l("Enter a Gregorian date."))
    match = _ISO.fullmatch(text) or _DMY.fullmatch(text)
    if match is None:
        raise InvalidValue(f"{kind}.format", _l("Enter the date as YYYY-MM-DD or DD/MM/YYYY."))
    return int(match["year"]), int(match["month"]), int(match["day"])


def _month_error(kind: str) -> InvalidValue:
    return InvalidValue(f"{kind}.month", _l("The month must be between 1 and 12."))


def _hijri_range_error() -> InvalidValue:
    params = {
        "min": _iso(*HIJRI_RANGE[0]),
        "max": _iso(*HIJRI_RANGE[1]),
    }
    return InvalidValue(
        "hijri.out_of_range",
        _l("Hijri dates must be between %(min)s and %(max)s AH.", **params),
        **params,
    )


def _check_hijri(year: int, month: int, day: int) -> None:
    """Raise InvalidValue unless (year, month, day) is a real Umm al-Qura date."""
    if not HIJRI_MIN_YEAR <= year <= HIJRI_MAX_YEAR:
        raise _hijri_range_error()
    if not 1 <= month <= 12:
        raise _month_error("hijri")
    try:
        length = Hijri(year, month, 1).month_length()
    except (ValueError, OverflowError) as exc:  # pragma: no cover - guarded above
        raise _hijri_range_error() from exc
    if 1 <= day <= length:
        return
    params = {"day": day, "month": month, "year": year, "length": length}
    raise InvalidValue(
        "hijri.day",
        _l(
            "Day %(day)s does not exist in month %(month)s of %(year)s AH; that month has %(length)s days.",
            **params,
        ),
        **params,
    )


@dataclass(frozen=True, order=True, slots=True)
class HijriDate:
    """A valid Umm al-Qura date. Constructing an impossible one raises.

    Ordering compares (year, month, day), i.e. chronologically.
    """

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        for name in ("year", "month", "day"):
            if type(getattr(self, name)) is not int:
                raise TypeError(f"HijriDate.{name} must be an int")
        _check_hijri(self.year, self.month, self.day)

    @classmethod
    def from_gregorian(cls, value: datetime.date) -> HijriDate:
        """Return the Hijri date falling on the Gregorian ``value``."""
        return gregorian_to_hijri(value)

    def to_gregorian(self) -> datetime.date:
        """Return the Gregorian date as a plain ``datetime.date``."""
        converted = Hijri(self.year, self.month, self.day).to_gregorian()
        # hijridate returns its own ``date`` subclass; callers and databases
        # should only ever see the standard type.
        return datetime.date(converted.year, converted.month, converted.day)

    def month_length(self) -> int:
        """Number of days (29 or 30) in this date's Umm al-Qura month."""
        return Hijri(self.year, self.month, self.day).month_length()

    def isoformat(self) -> str:
        """``YYYY-MM-DD`` with ASCII digits, the form we store and exchange."""
        return _iso(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.isoformat()


def parse_hijri(value: str) -> HijriDate:
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY`` as an Umm al-Qura date.

    :raises InvalidValue: with code ``hijri.empty``, ``.type``, ``.format``,
        ``.out_of_range``, ``.month`` or ``.day``.
    """
    return HijriDate(*_split(value, "hijri"))


def parse_gregorian(value: str) -> datetime.date:
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY`` as a Gregorian date.

    :raises InvalidValue: with code ``gregorian.empty``, ``.type``,
        ``.format``, ``.out_of_range``, ``.month`` or ``.day``.
    """
    year, month, day = _split(value, "gregorian")
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise InvalidValue("gregorian.out_of_range", _l("The year must be between 1 and 9999."))
    if not 1 <= month <= 12:
        raise _month_error("gregorian")
    length = calendar.monthrange(year, month)[1]
    if not 1 <= day <= length:
        params = {"day": day, "month": month, "year": year, "length": length}
        raise InvalidValue(
            "gregorian.day",
            _l(
                "Day %(day)s does not exist in month %(month)s of %(year)s; that month has %(length)s days.",
                **params,
            ),
            **params,
        )
    return datetime.date(year, month, day)


def hijri_to_gregorian(year: int, month: int, day: int) -> datetime.date:
    """Convert an Umm al-Qura date to Gregorian.

    :raises InvalidValue: if the Hijri date is impossible or out of range.
    """
    return HijriDate(year, month, day).to_gregorian()


def gregorian_to_hijri(value: datetime.date) -> HijriDate:
    """Convert a Gregorian date (or the date part of a datetime) to Hijri.

    :raises InvalidValue: ``gregorian.out_of_hijri_range`` outside
        1924-08-01 .. 2077-11-16, the span of the Umm al-Qura table.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not GREGORIAN_MIN <= value <= GREGORIAN_MAX:
        params = {"min": GREGORIAN_MIN.isoformat(), "max": GREGORIAN_MAX.isoformat()}
        raise InvalidValue(
            "gregorian.out_of_hijri_range",
            _l(
                "Only dates from %(min)s to %(max)s can be converted to the Hijri calendar.",
                **params,
            ),
            **params,
        )
    try:
        converted = Gregorian(value.year, value.month, value.day).to_hijri()
    except (ValueError, OverflowError) as exc:  # pragma: no cover - guarded above
        raise _hijri_range_error() from exc
    return HijriDate(converted.year, converted.month, converted.day)


__all__ = [
    "GREGORIAN_MAX",
    "GREGORIAN_MIN",
    "HIJRI_MAX_YEAR",
    "HIJRI_MIN_YEAR",
    "HijriDate",
    "gregorian_to_hijri",
    "hijri_to_gregorian",
    "parse_gregorian",
    "parse_hijri",
]
