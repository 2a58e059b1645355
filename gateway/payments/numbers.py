"""Bill numbers: 12 digits, the last a Luhn check digit.

SADAD-style bill numbers are typed by hand into a bank's app, so a single
mistyped or swapped digit must be caught before the bank looks it up. The
Luhn check digit (ISO/IEC 7812, as on payment cards) catches every single
digit error and almost every swap of neighbouring digits.

The first 11 digits come from :mod:`secrets`, not a counter: a sequential
number would tell anyone how many bills the portal issues and make other
people's bills guessable.
"""

from __future__ import annotations

import secrets

PAYLOAD_DIGITS = 11
BILL_NUMBER_DIGITS = PAYLOAD_DIGITS + 1


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check."""
    total = 0
    # Doubling starts with the right-most payload digit (the check digit will sit to its right).
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_valid_bill_number(value: str) -> bool:
    """12 ASCII digits whose last digit is the Luhn check digit of the first 11."""
    if len(value) != BILL_NUMBER_DIGITS or not value.isascii() or not value.isdigit():
        return False
    return luhn_check_digit(value[:-1]) == value[-1]


def new_bill_number() -> str:
    """A fresh random bill number (the caller checks it is not already taken)."""
    payload = f"{secrets.randbelow(10**PAYLOAD_DIGITS):0{PAYLOAD_DIGITS}d}"
    return payload + luhn_check_digit(payload)
