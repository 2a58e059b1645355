"""Saudi mobile numbers.

One-time codes go to the mobile number, so a wrong number is not a cosmetic
problem: the citizen simply never gets their code. We therefore accept every
way people actually write a Saudi mobile number (``05…``, ``5…``, ``+966 5…``,
``00966 5…``, ``966 5…``, with spaces, dashes or Arabic-Indic digits) and store
exactly one form, E.164 (``+9665XXXXXXXX``), which is what SMS gateways want.

Why the ``phonenumbers`` metadata and not a regex: which ``05x`` prefixes are
allocated to mobile networks changes over time (e.g. ``052`` is unallocated
today, ``0579`` is only partly allocated). Google's libphonenumber tracks the
national numbering plan; upgrading the library updates our rules. For ``SA``
the metadata distinguishes FIXED_LINE from MOBILE with disjoint patterns and
never answers FIXED_LINE_OR_MOBILE, so we accept MOBILE only.
"""

from __future__ import annotations

import re

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumberFormat,
    PhoneNumberType,
)

from bawaba_sdk.digits import clean_digits
from bawaba_sdk.validators.errors import InvalidValue, wrong_type

REGION = "SA"
COUNTRY_CODE = 966
MASK_CHAR = "•"

_ALLOWED = re.compile(r"\+?[0-9]+")
# Grouping punctuation beyond what ``strip_separators`` removes.
_GROUPING = re.compile(r"[().]")


def _mobile_lengths() -> tuple[int, ...]:
    """National-number lengths the metadata allows for Saudi mobiles (9)."""
    metadata = PhoneMetadata.metadata_for_region(REGION)
    assert metadata is not None
    assert metadata.mobile is not None
    return tuple(metadata.mobile.possible_length)


def _wrong_length() -> InvalidValue:
    return InvalidValue(
        "phone.length",
        _l("A Saudi mobile number has 10 digits and starts with 05, for example 05XXXXXXXX."),
    )


def _foreign() -> InvalidValue:
    return InvalidValue(
        "phone.foreign",
        _l("Enter a Saudi mobile number (starting with 05 or +966 5)."),
    )


def normalize_saudi_mobile(value: str) -> str:
    """Validate a Saudi mobile number and return it in E.164 form.

    :raises InvalidValue: with code ``phone.empty``, ``.type``,
        ``.not_digits``, ``.foreign``, ``.length``, ``.unallocated``,
        ``.landline`` or ``.not_mobile``.
    """
    if not isinstance(value, str):
        raise wrong_type("phone")
    text = _GROUPING.sub("", clean_digits(value))
    if not text:
        raise InvalidValue("phone.empty", _l("Enter your mobile number."))
    if not _ALLOWED.fullmatch(text):
        # Checked before parsing: phonenumbers would otherwise read letters
        # as a vanity number ("050-CALL-NOW").
        raise InvalidValue(
            "phone.not_digits",
            _l("A mobile number may contain only digits, spaces, dashes and a leading +."),
        )
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise _foreign() from exc
        raise _wrong_length() from exc
    if number.country_code != COUNTRY_CODE:
        raise _foreign()
    if not phonenumbers.is_valid_number(number):
        # national_number, not national_significant_number: a short input
        # such as "050123456" is parsed with an "Italian leading zero" that
        # the latter would count as a digit, making it look the right length.
        if len(str(number.national_number)) not in _mobile_lengths():
            raise _wrong_length()
        raise InvalidValue(
            "phone.unallocated",
            _l("This number does not belong to any Saudi mobile network. Please check it."),
        )
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.FIXED_LINE:
        raise InvalidValue(
            "phone.landline",
            _l("This is a landline number. Enter a mobile number starting with 05."),
        )
    if kind != PhoneNumberType.MOBILE:
        raise InvalidValue(
            "phone.not_mobile",
            _l("This is a service number, not a mobile number. Enter a mobile number starting with 05."),
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_saudi_mobile(value: str) -> bool:
    """Return whether ``value`` is a valid Saudi mobile number in any form."""
    try:
        normalize_saudi_mobile(value)
    except InvalidValue:
        return False
    return True


def mask_mobile(e164: str) -> str:
    """Mask a mobile number for display, e.g. ``05••••••67``.

    Shown on one-time-code screens ("we sent a code to 05••••••67") so that
    the holder recognises their number while an onlooker learns almost
    nothing. Keeps the first two and last two digits of the national form
    and hides each digit in between with one bullet, so the mask has the
    shape of a real number. The result is pure LTR text; templates should
    wrap it in ``<bdi>`` / ``dir="ltr"`` inside Arabic pages.

    :raises InvalidValue: if ``e164`` is not a Saudi mobile number.
    """
    number = phonenumbers.parse(normalize_saudi_mobile(e164), REGION)
    # The national form ("050 123 4567") comes from the metadata too, so the
    # trunk prefix is never hard-coded here.
    national = re.sub(r"\D", "", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    return national[:2] + MASK_CHAR * (len(national) - 4) + national[-2:]


__all__ = ["is_saudi_mobile", "mask_mobile", "normalize_saudi_mobile"]
