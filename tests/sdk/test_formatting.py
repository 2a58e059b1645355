"""The SDK's formatting layer: every figure, day, moment and country as a person reads it, in both languages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from flask import Flask, render_template_string

from bawaba_sdk.formatting import (
    JINJA_FILTERS,
    country_name,
    format_amount,
    format_date,
    format_datetime,
    format_hijri_date,
    format_number,
    format_percent,
    to_local,
)
from bawaba_sdk.i18n import in_language
from bawaba_sdk.validators import HijriDate, parse_sar


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (Decimal("2000"), "en", "2,000.00 SAR"),
        ("1500.00", "en", "1,500.00 SAR"),
        (18000, "ar", "18,000.00\u00a0ر.س"),
        (Decimal("50"), "ar", "50.00\u00a0ر.س"),
    ],
)
def test_amounts_are_grouped_with_two_decimals_and_their_currency(amount: object, language: str, expected: str) -> None:
    shown = format_amount(amount, language=language)  # type: ignore[arg-type]
    assert shown == expected
    assert parse_sar(shown) == Decimal(str(amount)).quantize(Decimal("0.01"))


def test_an_arabic_sentence_ending_in_an_amount_has_one_full_stop() -> None:
    sentence = f"رسوم التأشيرة {format_amount(50, language='ar')}."
    assert not sentence.endswith("..") and "ر.س.،" not in f"{format_amount(50, language='ar')}،"


def test_numbers_and_percentages() -> None:
    assert format_number(18000, language="en") == "18,000"
    assert format_number(Decimal("2.5"), language="ar") == "2.5"
    assert format_percent(Decimal("0.125"), language="en") == "12.5%"


def test_gregorian_days_are_written_out_with_the_hijri_day_on_request() -> None:
    assert format_date(datetime.date(2019, 3, 22), language="en") == "22 March 2019"
    assert format_date("2019-03-22", language="ar") == "22 مارس 2019"
    both = format_date(datetime.date(2019, 3, 22), language="en", with_hijri=True)
    assert both == "22 March 2019 (15 Rajab 1440\u00a0AH)"


def test_a_hijri_answer_reads_as_a_hijri_day_not_as_iso_text() -> None:
    assert format_hijri_date("1440-07-15", language="ar") == "15 رجب 1440\u00a0هـ"
    assert format_hijri_date(HijriDate(1440, 7, 15), language="en") == "15 Rajab 1440\u00a0AH"
    assert format_hijri_date(datetime.date(2019, 3, 22), language="en") == "15 Rajab 1440\u00a0AH"
    assert format_hijri_date("not a date", language="en") == "not a date"


def test_moments_are_shown_in_saudi_time_with_the_zone_named() -> None:
    moment = datetime.datetime(2026, 12, 7, 22, 48, tzinfo=datetime.UTC)
    assert format_datetime(moment, language="en") == "8 December 2026, 01:48 Saudi Arabia Time"
    assert format_datetime(moment, language="ar") == "8 ديسمبر 2026، 01:48 توقيت المملكة العربية السعودية"
    naive = datetime.datetime(2026, 12, 7, 22, 48)  # the database's UTC
    assert to_local(naive).hour == 1
    assert format_date(moment, language="en") == "8 December 2026"  # the day as lived in Riyadh


def test_countries_by_name_never_by_code() -> None:
    assert country_name("SA", language="en") == "Saudi Arabia"
    assert country_name("ph", language="ar") == "الفلبين"


def test_the_host_registers_the_filters_for_every_template(app: Flask) -> None:
    assert set(JINJA_FILTERS) <= set(app.jinja_env.filters)
    template = "{{ fee|amount }} · {{ day|date(with_hijri=True) }} · {{ 'PH'|country }} · {{ moment|datetime }}"
    values = {
        "fee": Decimal("2000"),
        "day": datetime.date(2019, 3, 22),
        "moment": datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC),
    }
    with app.test_request_context("/"):
        with in_language("en"):
            english = render_template_string(template, **values)
        with in_language("ar"):
            arabic = render_template_string(template, **values)
    assert english == (
        "2,000.00 SAR · 22 March 2019 (15 Rajab 1440\u00a0AH) · Philippines · 1 January 2026, 12:00 Saudi Arabia Time"
    )
    assert arabic.startswith("2,000.00\u00a0ر.س · 22 مارس 2019 (15 رجب 1440\u00a0هـ) · الفلبين")
