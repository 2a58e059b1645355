"""Amounts in Saudi riyals: exact Decimals to the halala, with clear refusals."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import flask
import pytest
from babel.numbers import format_currency
from flask_babel import Babel

from bawaba_sdk.validators import DEFAULT_MAXIMUM, InvalidValue, format_sar, parse_sar


@pytest.fixture
def app() -> Iterator[flask.Flask]:
    app = flask.Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield app


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000", "2000.00"),
        ("2,000", "2000.00"),
        ("2000.50", "2000.50"),
        ("2000.5", "2000.50"),
        ("2,000.5", "2000.50"),
        ("1,234,567.89", "1234567.89"),
        ("٢٠٠٠", "2000.00"),  # Arabic-Indic digits
        ("۲۰۰۰", "2000.00"),  # Persian digits
        ("٢٬٠٠٠٫٥٠", "2000.50"),  # Arabic thousands and decimal separators
        ("2,000 SAR", "2000.00"),
        ("2000sar", "2000.00"),
        ("SAR 2000", "2000.00"),
        ("2000 SR", "2000.00"),
        ("2000 ر.س", "2000.00"),
        ("٢٠٠٠ ر.س.", "2000.00"),
        ("\u200f2,000.00\u00a0ر.س.\u200f", "2000.00"),  # exactly what format_sar gives in Arabic
        ("2000 ريال", "2000.00"),
        ("2000﷼", "2000.00"),
        ("0", "0.00"),
        ("0.01", "0.01"),
        ("-0", "0.00"),
        ("+15", "15.00"),
        ("2000.500", "2000.50"),  # trailing zeros are not extra halalas
        (2000, "2000.00"),
        (0.1, "0.10"),  # float goes through repr(), not its binary expansion
        (Decimal("19.9"), "19.90"),
    ],
)
def test_accepted_amounts(value: object, expected: str) -> None:
    amount = parse_sar(value)  # type: ignore[arg-type]
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)
    assert str(amount) == expected  # always exactly two places


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "money.empty"),
        ("SAR", "money.empty"),
        ("ر.س", "money.empty"),
        ("abc", "money.format"),
        ("20,00", "money.format"),  # comma as a decimal separator is refused, not guessed
        ("2,0000", "money.format"),
        ("1e3", "money.format"),
        ("2000.", "money.format"),
        (".5", "money.format"),
        ("2 000", "money.format"),
        ("2000 USD", "money.format"),
        ("NaN", "money.not_finite"),
        ("Infinity", "money.not_finite"),
        ("-inf", "money.not_finite"),
        (float("nan"), "money.not_finite"),
        (float("inf"), "money.not_finite"),
        (Decimal("sNaN"), "money.not_finite"),
        ("-5", "money.negative"),
        ("-٥", "money.negative"),
        ("\u22125", "money.negative"),  # Unicode minus sign
        (-0.01, "money.negative"),
        ("1.005", "money.decimals"),
        ("0.001", "money.decimals"),
        (Decimal("1.234"), "money.decimals"),
        ("1,000,000,000", "money.too_large"),
        ("9" * 60, "money.too_large"),  # huge input must not overflow Decimal
        (1e300, "money.too_large"),
        (True, "money.type"),
        (None, "money.type"),
        ([2000], "money.type"),
    ],
)
def test_refused_amounts(value: object, code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_sar(value)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_maximum_is_inclusive_and_configurable() -> None:
    assert parse_sar("2000", maximum=2000) == Decimal("2000.00")
    with pytest.raises(InvalidValue) as caught:
        parse_sar("2000.01", maximum=Decimal("2000"))
    assert caught.value.code == "money.too_large"
    assert caught.value.params == {"maximum": "2,000.00"}
    assert parse_sar(str(DEFAULT_MAXIMUM)) == DEFAULT_MAXIMUM


def test_no_maximum_keeps_every_digit() -> None:
    huge = "9" * 40
    assert parse_sar(huge, maximum=None) == Decimal(huge + ".00")


def test_too_large_message(app: flask.Flask) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_sar("5000", maximum=2000)
    assert str(caught.value.message) == "The amount cannot be more than 2,000.00 SAR."


@pytest.mark.parametrize(
    ("amount", "locale", "expected"),
    [
        (Decimal("2000"), "en", "2,000.00 SAR"),
        (2000, "en_US", "2,000.00 SAR"),
        (Decimal("1234567.5"), "en", "1,234,567.50 SAR"),
        ("0.1", "en", "0.10 SAR"),
    ],
)
def test_format_sar_english(amount: object, locale: str, expected: str) -> None:
    assert format_sar(amount, locale) == expected  # type: ignore[arg-type]


def test_format_sar_arabic_has_no_closing_dot_and_parses_back() -> None:
    text = format_sar(Decimal("2000"), "ar")
    assert text == "2,000.00\u00a0ر.س"  # CLDR's "ر.س." would end a sentence in "ر.س.."
    assert parse_sar(text) == Decimal("2000.00")  # what we show, we accept back
    assert parse_sar(format_currency(Decimal("2000.00"), "SAR", locale="ar")) == Decimal("2000.00")
