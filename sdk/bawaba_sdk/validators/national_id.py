"""Saudi national ID and iqama numbers.

A Saudi identity number has 10 digits. The first digit says who holds it:
``1`` for a citizen (national ID, الهوية الوطنية) and ``2`` for a resident
(iqama, الإقامة). The last digit is a Luhn check digit over the whole number.

Why check the Luhn digit ourselves rather than just asking the registry:
it catches almost every single-digit typo and every adjacent transposition
*before* we spend a registry lookup (or an SMS) on a number that cannot
exist, and it lets us tell the user "you mistyped a digit" instead of the
vaguer "no such person".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from bawaba_sdk.digits import clean_digits
from bawaba_sdk.validators.errors import InvalidValue, wrong_type

ID_LENGTH = 10


class IdType(StrEnum):
    """Who holds an identity number, read from its first digit."""

    CITIZEN = "citizen"
    RESIDENT = "resident"


_FIRST_DIGIT_TYPES: dict[str, IdType] = {"1": IdType.CITIZEN, "2": IdType.RESIDENT}


@dataclass(frozen=True, slots=True)
class NationalId:
    """A validated identity number: 10 ASCII digits and the holder's type."""

    number: str
    id_type: IdType

    def __str__(self) -> str:
        return self.number


def luhn_checksum(digits: str) -> int:
    """Return the Luhn sum of ``digits`` modulo 10 (0 means valid).

    Digits at even 0-based positions from the left are doubled (minus 9 when
    the result exceeds 9). For a 10-digit number this is exactly the classic
    "double every second digit from the right, starting left of the check
    digit" rule, which is how Saudi identity numbers are checked.
    """
    total = 0
    for position, char in enumerate(digits):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10


def make_national_id(prefix9: str) -> str:
    """Append the correct check digit to a 9-digit prefix.

    For tests and seed data (fictional people need IDs that pass
    validation). Raises plain :class:`ValueError` on a bad prefix because
    this is a programmer's tool, not user input.
    """
    prefix = clean_digits(prefix9)
    if len(prefix) != ID_LENGTH - 1 or not prefix.isascii() or not prefix.isdigit():
        raise ValueError(f"prefix must be 9 digits, got {prefix9!r}")
    if prefix[0] not in _FIRST_DIGIT_TYPES:
        raise ValueError(f"prefix must start with 1 or 2, got {prefix9!r}")
    # Try each candidate: simpler to read than solving for the digit.
    for check in "0123456789":
        if luhn_checksum(prefix + check) == 0:
            return prefix + check
    raise AssertionError("unreachable: some check digit always satisfies Luhn")


def parse_national_id(value: str, *, id_type: IdType | None = None) -> NationalId:
    """Validate and normalise an identity number.

    Accepts Arabic-Indic digits, spaces, dashes and pasted bidi marks.
    ``id_type`` restricts the result to citizens or residents (e.g. a
    service only citizens may use).

    :raises InvalidValue: with code ``national_id.empty``, ``.type``,
        ``.not_digits``, ``.length``, ``.first_digit``, ``.check_digit``,
        ``.not_citizen`` or ``.not_resident``.
    """
    if not isinstance(value, str):
        raise wrong_type("national_id")
    number = clean_digits(value)
    if not number:
        raise InvalidValue("national_id.empty", _l("Enter your national ID or iqama number."))
    if not (number.isascii() and number.isdigit()):
        raise InvalidValue(
            "national_id.not_digits",
            _l("The ID number must contain digits only."),
        )
    if len(number) != ID_LENGTH:
        raise InvalidValue(
            "national_id.length",
            _l(
                "The ID number must be exactly 10 digits; you entered %(count)s.",
                count=len(number),
            ),
            count=len(number),
        )
    holder = _FIRST_DIGIT_TYPES.get(number[0])
    if holder is None:
        raise InvalidValue(
            "national_id.first_digit",
            _l("The ID number must start with 1 (national ID) or 2 (iqama)."),
        )
    if luhn_checksum(number) != 0:
        raise InvalidValue(
            "national_id.check_digit",
            _l("This ID number is not valid. Please check that every digit is correct."),
        )
    if id_type is not None and holder != id_type:
        if id_type == IdType.CITIZEN:
            raise InvalidValue(
                "national_id.not_citizen",
                _l("Enter a national ID number (it starts with 1); iqama numbers are not accepted here."),
            )
        raise InvalidValue(
            "national_id.not_resident",
            _l("Enter an iqama number (it starts with 2); national ID numbers are not accepted here."),
        )
    return NationalId(number=number, id_type=holder)


def is_valid_national_id(value: str) -> bool:
    """Return whether ``value`` is a valid national ID or iqama number."""
    try:
        parse_national_id(value)
    except InvalidValue:
        return False
    return True


__all__ = [
    "IdType",
    "NationalId",
    "is_valid_national_id",
    "luhn_checksum",
    "make_national_id",
    "parse_national_id",
]
