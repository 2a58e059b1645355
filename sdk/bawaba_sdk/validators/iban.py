"""Saudi IBANs: ``SA``, two check digits, then 20 digits (2 of the bank, 18 of the account).

A pension, an allowance or a refund is paid to an IBAN; one wrong digit sends
the money to nobody or to somebody else, so the check digits are verified
here (ISO 13616's mod-97 rule) before anything is saved, and the person is
told at once which part is wrong: another country's IBAN, the wrong length,
or a mistyped digit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from bawaba_sdk.digits import clean_digits
from bawaba_sdk.validators.errors import InvalidValue, wrong_type

COUNTRY = "SA"
LENGTH = 24
"""``SA`` and 22 characters."""


def iban_check(iban: str) -> int:
    """ISO 13616's remainder of ``iban`` (country, check digits, account); 1 means the check digits are right."""
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97


def make_saudi_iban(account20: str) -> str:
    """The Saudi IBAN with the right check digits for 20 digits (bank and account); for tests and demo data."""
    if len(account20) != LENGTH - 4 or not account20.isascii() or not account20.isdigit():
        raise ValueError(f"expected 20 digits, got {account20!r}")
    check = 98 - iban_check(f"{COUNTRY}00{account20}")
    return f"{COUNTRY}{check:02d}{account20}"


def parse_saudi_iban(value: str) -> str:
    """The IBAN as 24 characters without spaces (``SA0380000000608010167519``).

    Accepts spaces, lower case and Arabic-Indic digits.

    :raises InvalidValue: with code ``iban.empty``, ``.type``, ``.country``,
        ``.length``, ``.characters`` or ``.check_digits``.
    """
    if not isinstance(value, str):
        raise wrong_type("iban")
    text = clean_digits(value).replace(" ", "").replace("-", "").upper()
    if not text:
        raise InvalidValue("iban.empty", _l("Enter your IBAN."))
    if not text.startswith(COUNTRY):
        raise InvalidValue(
            "iban.country", _l("Enter a Saudi IBAN: it starts with SA. An IBAN from another country cannot be used.")
        )
    if len(text) != LENGTH:
        raise InvalidValue(
            "iban.length",
            _l("A Saudi IBAN is SA and 22 digits; you entered %(count)s characters.", count=len(text)),
            count=len(text),
        )
    if not (text[2:].isascii() and text[2:].isdigit()):
        raise InvalidValue("iban.characters", _l("After SA, a Saudi IBAN has digits only."))
    if iban_check(text) != 1:
        raise InvalidValue(
            "iban.check_digits", _l("This IBAN is not valid: a digit is probably mistyped. Check it on your bank card.")
        )
    return text


def is_valid_saudi_iban(value: str) -> bool:
    try:
        parse_saudi_iban(value)
    except InvalidValue:
        return False
    return True


__all__ = ["is_valid_saudi_iban", "make_saudi_iban", "parse_saudi_iban"]
