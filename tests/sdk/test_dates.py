"""Hijri (Umm al-Qura) and Gregorian dates: parsing, conversion and the supported range."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import flask
import hijridate
import pytest
from flask_babel import Babel

from bawaba_sdk.validators import (
    GREGORIAN_MAX,
    GREGORIAN_MIN,
    HijriDate,
    InvalidValue,
    gregorian_to_hijri,
    hijri_to_gregorian,
    parse_gregorian,
    parse_hijri,
)


@pytest.fixture
def app() -> Iterator[flask.Flask]:
    app = flask.Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield app


# (Hijri, Gregorian) pairs; each is also checked against hijridate itself.
KNOWN = [
    ((1445, 9, 1), datetime.date(2024, 3, 11)),  # 1 Ramadan 1445
    ((1446, 1, 1), datetime.date(2024, 7, 7)),  # 1 Muharram 1446
    ((1343, 1, 1), datetime.date(1924, 8, 1)),  # first day of the table
    ((1500, 12, 30), datetime.date(2077, 11, 16)),  # last day of the table
]


@pytest.mark.parametrize(("hijri", "gregorian"), KNOWN)
def test_known_dates_agree_with_hijridate(hijri: tuple[int, int, int], gregorian: datetime.date) -> None:
    assert hijridate.Hijri(*hijri).to_gregorian() == gregorian
    assert hijri_to_gregorian(*hijri) == gregorian
    assert gregorian_to_hijri(gregorian) == HijriDate(*hijri)
    assert HijriDate(*hijri).to_gregorian() == gregorian
    assert HijriDate.from_gregorian(gregorian) == HijriDate(*hijri)


def test_to_gregorian_returns_a_plain_date() -> None:
    # hijridate returns its own date subclass; callers must get the standard type.
    assert type(HijriDate(1445, 9, 1).to_gregorian()) is datetime.date


def test_round_trip_across_the_whole_table() -> None:
    day = GREGORIAN_MIN
    checked = 0
    while day <= GREGORIAN_MAX:
        hijri = gregorian_to_hijri(day)
        assert hijri.to_gregorian() == day
        assert parse_hijri(hijri.isoformat()) == hijri
        day += datetime.timedelta(days=97)
        checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1445-09-01", HijriDate(1445, 9, 1)),
        ("1445-9-1", HijriDate(1445, 9, 1)),
        ("01/09/1445", HijriDate(1445, 9, 1)),  # day first
        ("1/9/1445", HijriDate(1445, 9, 1)),
        ("١٤٤٥-٠٩-٠١", HijriDate(1445, 9, 1)),  # Arabic-Indic digits
        ("٠١/٠٩/١٤٤٥", HijriDate(1445, 9, 1)),
        ("۱۴۴۵-۰۹-۰۱", HijriDate(1445, 9, 1)),  # Persian digits
        ("٠١؍٠٩؍١٤٤٥", HijriDate(1445, 9, 1)),  # Arabic date separator U+060D
        (" \u200f1445-09-01\u200e ", HijriDate(1445, 9, 1)),
        ("1445\u201309\u201301", HijriDate(1445, 9, 1)),  # en dashes
        ("30/09/1445", HijriDate(1445, 9, 30)),  # Ramadan 1445 has 30 days
    ],
)
def test_parse_hijri(value: str, expected: HijriDate) -> None:
    assert parse_hijri(value) == expected


def test_ramadan_1444_has_29_days() -> None:
    assert hijridate.Hijri(1444, 9, 1).month_length() == 29  # precondition, from the table
    assert parse_hijri("1444-09-29").to_gregorian() == datetime.date(2023, 4, 20)
    with pytest.raises(InvalidValue) as caught:
        parse_hijri("1444-09-30")
    assert caught.value.code == "hijri.day"
    assert caught.value.params == {"day": 30, "month": 9, "year": 1444, "length": 29}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "hijri.empty"),
        ("\u200f ", "hijri.empty"),
        ("1445/09/01", "hijri.format"),  # year first needs dashes
        ("01-09-1445", "hijri.format"),  # day first needs slashes
        ("1445-09", "hijri.format"),
        ("45-09-01", "hijri.format"),
        ("1445-09-01T00:00", "hijri.format"),
        ("yesterday", "hijri.format"),
        ("1445-13-01", "hijri.month"),
        ("1445-00-01", "hijri.month"),
        ("1445-09-00", "hijri.day"),
        ("1445-09-31", "hijri.day"),
        ("1342-12-29", "hijri.out_of_range"),  # day before the table
        ("1501-01-01", "hijri.out_of_range"),  # day after the table
        ("0001-01-01", "hijri.out_of_range"),
        ("9999-12-30", "hijri.out_of_range"),
    ],
)
def test_parse_hijri_errors(value: str, code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_hijri(value)
    assert caught.value.code == code


def test_parse_hijri_rejects_non_text() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_hijri(None)  # type: ignore[arg-type]
    assert caught.value.code == "hijri.type"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((1445, 13, 1), "hijri.month"),
        ((1445, 9, 0), "hijri.day"),
        ((1444, 9, 30), "hijri.day"),
        ((1342, 1, 1), "hijri.out_of_range"),
        ((1501, 1, 1), "hijri.out_of_range"),
    ],
)
def test_impossible_hijri_dates_never_leak_library_errors(args: tuple[int, int, int], code: str) -> None:
    # hijridate raises ValueError/OverflowError; we must only ever raise InvalidValue.
    for make in (lambda: HijriDate(*args), lambda: hijri_to_gregorian(*args)):
        with pytest.raises(InvalidValue) as caught:
            make()
        assert caught.value.code == code


def test_hijri_date_type_checks_fields() -> None:
    with pytest.raises(TypeError):
        HijriDate("1445", 9, 1)  # type: ignore[arg-type]


def test_hijri_date_value_semantics() -> None:
    date = HijriDate(1445, 9, 1)
    assert date.isoformat() == "1445-09-01"
    assert str(date) == "1445-09-01"
    assert date.month_length() == 30
    assert HijriDate(1444, 12, 29) < date < HijriDate(1445, 10, 1)
    with pytest.raises(AttributeError):
        date.day = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-11", datetime.date(2024, 3, 11)),
        ("2024-3-1", datetime.date(2024, 3, 1)),
        ("11/03/2024", datetime.date(2024, 3, 11)),  # day first, not US order
        ("٢٠٢٤-٠٣-١١", datetime.date(2024, 3, 11)),
        ("١١/٠٣/٢٠٢٤", datetime.date(2024, 3, 11)),
        ("29/02/2024", datetime.date(2024, 2, 29)),  # leap year
        ("1900-01-01", datetime.date(1900, 1, 1)),  # outside the Hijri table is fine here
    ],
)
def test_parse_gregorian(value: str, expected: datetime.date) -> None:
    assert parse_gregorian(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "gregorian.empty"),
        ("2024/03/11", "gregorian.format"),
        ("March 11, 2024", "gregorian.format"),
        ("2024-13-01", "gregorian.month"),
        ("2024-00-10", "gregorian.month"),
        ("29/02/2023", "gregorian.day"),  # not a leap year
        ("2024-04-31", "gregorian.day"),
        ("2024-04-00", "gregorian.day"),
        ("0000-01-01", "gregorian.out_of_range"),
    ],
)
def test_parse_gregorian_errors(value: str, code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_gregorian(value)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "day",
    [
        GREGORIAN_MIN - datetime.timedelta(days=1),
        GREGORIAN_MAX + datetime.timedelta(days=1),
        datetime.date(1, 1, 1),
        datetime.date(9999, 12, 31),
    ],
)
def test_gregorian_outside_table_cannot_be_converted(day: datetime.date) -> None:
    with pytest.raises(InvalidValue) as caught:
        gregorian_to_hijri(day)
    assert caught.value.code == "gregorian.out_of_hijri_range"
    assert caught.value.params == {"min": "1924-08-01", "max": "2077-11-16"}


def test_gregorian_to_hijri_accepts_datetime() -> None:
    assert gregorian_to_hijri(datetime.datetime(2024, 3, 11, 23, 59)) == HijriDate(1445, 9, 1)


def test_messages_render(app: flask.Flask) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_hijri("30/09/1444")
    assert str(caught.value.message) == ("Day 30 does not exist in month 9 of 1444 AH; that month has 29 days.")
    with pytest.raises(InvalidValue) as caught:
        parse_hijri("1300-01-01")
    assert str(caught.value.message) == "Hijri dates must be between 1343-01-01 and 1500-12-30 AH."
