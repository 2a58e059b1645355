"""Saudi national ID / iqama numbers: format, holder type and Luhn check digit."""

from __future__ import annotations

from collections.abc import Iterator

import flask
import pytest
from flask_babel import Babel

from bawaba_sdk.validators import (
    IdType,
    InvalidValue,
    NationalId,
    is_valid_national_id,
    make_national_id,
    parse_national_id,
)
from bawaba_sdk.validators.national_id import luhn_checksum

# Check digits worked out by hand (see test_hand_computed_check_digits).
CITIZEN = "1012345672"
RESIDENT = "2123456788"


@pytest.fixture
def app() -> Iterator[flask.Flask]:
    app = flask.Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield app


def test_hand_computed_check_digits() -> None:
    # 1 0 1 2 3 4 5 6 7 ?: doubled at even positions 2+2+6+(10→1)+(14→5)=16,
    # the rest 0+2+4+6=12, total 28, so the check digit is 2.
    assert make_national_id("101234567") == CITIZEN
    # 2 1 2 3 4 5 6 7 8 ?: 4+4+8+(12→3)+(16→7)=26, 1+3+5+7=16, total 42 → 8.
    assert make_national_id("212345678") == RESIDENT
    assert luhn_checksum(CITIZEN) == 0
    assert luhn_checksum(RESIDENT) == 0


@pytest.mark.parametrize(
    ("value", "number", "id_type"),
    [
        (CITIZEN, CITIZEN, IdType.CITIZEN),
        (RESIDENT, RESIDENT, IdType.RESIDENT),
        ("١٠١٢٣٤٥٦٧٢", CITIZEN, IdType.CITIZEN),  # Arabic-Indic digits
        ("۲۱۲۳۴۵۶۷۸۸", RESIDENT, IdType.RESIDENT),  # Persian digits
        (" 1012 345 672 ", CITIZEN, IdType.CITIZEN),
        ("1012-345-672", CITIZEN, IdType.CITIZEN),
        ("\u200f1012345672\u200e", CITIZEN, IdType.CITIZEN),  # pasted bidi marks
    ],
)
def test_valid_numbers(value: str, number: str, id_type: IdType) -> None:
    parsed = parse_national_id(value)
    assert parsed == NationalId(number=number, id_type=id_type)
    assert parsed.number.isascii()
    assert is_valid_national_id(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "national_id.empty"),
        ("   ", "national_id.empty"),
        ("\u200f", "national_id.empty"),
        ("10123456a2", "national_id.not_digits"),
        ("1012345672.", "national_id.not_digits"),
        ("١٠١٢٣٤٥٦٧x", "national_id.not_digits"),
        ("१०१२३४५६७२", "national_id.not_digits"),  # Devanagari is not accepted
        ("101234567", "national_id.length"),
        ("10123456722", "national_id.length"),
        ("3012345672", "national_id.first_digit"),
        ("0012345672", "national_id.first_digit"),
        ("1012345673", "national_id.check_digit"),
        ("1021345672", "national_id.check_digit"),  # adjacent digits swapped
        ("2123456787", "national_id.check_digit"),
    ],
)
def test_invalid_numbers(value: str, code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_national_id(value)
    assert caught.value.code == code
    assert not is_valid_national_id(value)


@pytest.mark.parametrize("value", [None, 1012345672, ["1012345672"]])
def test_non_text_is_rejected_not_crashed(value: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_national_id(value)  # type: ignore[arg-type]
    assert caught.value.code == "national_id.type"


def test_length_error_reports_count(app: flask.Flask) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_national_id("١٢٣")
    assert caught.value.params == {"count": 3}
    assert str(caught.value.message) == "The ID number must be exactly 10 digits; you entered 3."


def test_every_single_digit_typo_is_caught() -> None:
    # The reason to check Luhn locally: any one mistyped digit is detected.
    for position in range(1, 10):  # first digit is checked separately
        for digit in "0123456789":
            if digit == CITIZEN[position]:
                continue
            typo = CITIZEN[:position] + digit + CITIZEN[position + 1 :]
            assert not is_valid_national_id(typo), typo


@pytest.mark.parametrize(
    ("id_type", "value", "code"),
    [
        (IdType.CITIZEN, RESIDENT, "national_id.not_citizen"),
        (IdType.RESIDENT, CITIZEN, "national_id.not_resident"),
        ("citizen", RESIDENT, "national_id.not_citizen"),  # plain strings work too
    ],
)
def test_id_type_restriction(id_type: IdType, value: str, code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_national_id(value, id_type=id_type)
    assert caught.value.code == code


def test_id_type_restriction_accepts_matching_holder() -> None:
    assert parse_national_id(CITIZEN, id_type=IdType.CITIZEN).id_type is IdType.CITIZEN
    assert parse_national_id(RESIDENT, id_type=IdType.RESIDENT).id_type is IdType.RESIDENT


def test_check_digit_is_checked_before_restriction() -> None:
    # A mistyped number gets the typo message, not "wrong kind of ID".
    with pytest.raises(InvalidValue) as caught:
        parse_national_id("2123456787", id_type=IdType.CITIZEN)
    assert caught.value.code == "national_id.check_digit"


def test_messages_render(app: flask.Flask) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_national_id("1012345673")
    assert "not valid" in str(caught.value)
    assert str(caught.value) == str(caught.value.message)


@pytest.mark.parametrize("prefix", ["101234567", "212345678", "٢٩٩٩٩٩٩٩٩", "100000000"])
def test_make_national_id_always_valid(prefix: str) -> None:
    number = make_national_id(prefix)
    assert len(number) == 10
    assert is_valid_national_id(number)


@pytest.mark.parametrize("prefix", ["12345678", "1234567890", "312345678", "1234a5678"])
def test_make_national_id_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        make_national_id(prefix)


def test_national_id_is_frozen() -> None:
    parsed = parse_national_id(CITIZEN)
    with pytest.raises(AttributeError):
        parsed.number = RESIDENT  # type: ignore[misc]
    assert str(parsed) == CITIZEN
    assert IdType.CITIZEN == "citizen"
    assert IdType.RESIDENT == "resident"
