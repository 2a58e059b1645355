"""Validators and normalisers for the values every government program asks for.

Each ``parse_*`` / ``normalize_*`` function returns the canonical form of a
value or raises :class:`InvalidValue` with a stable ``code`` and a lazily
translated ``message``. ``is_*`` helpers answer yes/no for the same rules.
"""

from bawaba_sdk.validators.dates import (
    GREGORIAN_MAX,
    GREGORIAN_MIN,
    HijriDate,
    gregorian_to_hijri,
    hijri_to_gregorian,
    parse_gregorian,
    parse_hijri,
)
from bawaba_sdk.validators.errors import InvalidValue
from bawaba_sdk.validators.iban import is_valid_saudi_iban, make_saudi_iban, parse_saudi_iban
from bawaba_sdk.validators.money import DEFAULT_MAXIMUM, format_sar, parse_sar
from bawaba_sdk.validators.national_id import (
    IdType,
    NationalId,
    is_valid_national_id,
    make_national_id,
    parse_national_id,
)
from bawaba_sdk.validators.phone import is_saudi_mobile, mask_mobile, normalize_saudi_mobile

__all__ = [
    "DEFAULT_MAXIMUM",
    "GREGORIAN_MAX",
    "GREGORIAN_MIN",
    "HijriDate",
    "IdType",
    "InvalidValue",
    "NationalId",
    "format_sar",
    "gregorian_to_hijri",
    "hijri_to_gregorian",
    "is_saudi_mobile",
    "is_valid_national_id",
    "is_valid_saudi_iban",
    "make_national_id",
    "make_saudi_iban",
    "mask_mobile",
    "normalize_saudi_mobile",
    "parse_gregorian",
    "parse_hijri",
    "parse_national_id",
    "parse_sar",
    "parse_saudi_iban",
]
