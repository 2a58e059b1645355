"""Digit normalisation: what Arabic and Persian keyboards and pasted text produce."""

from __future__ import annotations

import pytest

from bawaba_sdk.digits import clean_digits, normalize_digits, strip_invisibles, strip_separators


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic U+0660..U+0669
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),  # Extended Arabic-Indic (Persian/Urdu)
        ("١٠٢٣ abc ۴۵", "1023 abc 45"),  # mixed scripts, letters untouched
        ("0123456789", "0123456789"),
        ("", ""),
        ("رقم ٥", "رقم 5"),  # Arabic letters kept
    ],
)
def test_normalize_digits(text: str, expected: str) -> None:
    assert normalize_digits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "१२३",  # Devanagari digits: not an accepted alphabet
        "¹²³",  # superscripts: isdigit() is True for these, we must not convert
        "１２３",  # full-width
    ],
)
def test_other_digit_alphabets_are_left_alone(text: str) -> None:
    # They stay as they are so validators can reject them explicitly.
    assert normalize_digits(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1012 345 678", "1012345678"),
        ("050-123-4567", "0501234567"),
        ("\u200f0501234567\u200e", "0501234567"),  # RLM/LRM from pasted SMS
        ("\u061c05\u00a0012\u202f34", "050123" + "4"),  # ALM, NBSP, narrow NBSP
        ("05\u2013012\u221234", "0501234"),  # en dash, minus sign
        ("\u2066+966 50\u2069", "+96650"),  # isolates kept out, + kept
        ("\ufeff\u200b12", "12"),  # BOM and zero-width space
    ],
)
def test_strip_separators(text: str, expected: str) -> None:
    assert strip_separators(text) == expected


def test_strip_invisibles_keeps_inner_punctuation() -> None:
    assert strip_invisibles("  \u200f1445-09-01\u200e ") == "1445-09-01"
    assert strip_invisibles("2,000 SAR") == "2,000 SAR"


def test_clean_digits_combines_both() -> None:
    assert clean_digits("\u200f١٠١ ٢٣٤-٥٦٧٨") == "1012345678"
