"""Amounts of money in Saudi riyals (SAR).

Why ``Decimal`` and never ``float``: fees are compared, summed and shown to
the halala (1/100 riyal); ``0.1 + 0.2 != 0.3`` in binary floating point is
not acceptable on a government bill. Every amount leaves this module
quantised to exactly two decimal places.

Accepted input is what people type or paste: ``2000``, ``2,000``,
``2000.50``, ``٢٠٠٠``, ``٢٬٠٠٠٫٥٠`` (Arabic thousands/decimal separators),
and a currency marker before or after the number (``SAR``, ``SR``, ``ر.س``,
``ريال``, ``﷼``). Thousands separators must group by three — ``20,00`` is
refused rather than guessed at, because in some locales the comma is the
decimal separator and a wrong guess is a hundredfold error.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

from babel import Locale
from flask_babel import lazy_gettext as _l

from bawaba_sdk.digits import normalize_digits, strip_invisibles
from bawaba_sdk.formatting import format_amount
from bawaba_sdk.validators.errors import InvalidValue, wrong_type

CURRENCY = "SAR"
HALALA = Decimal("0.01")
DEFAULT_MAXIMUM = Decimal("999999999.99")
"""Default upper bound: fits a ``NUMERIC(11, 2)`` column."""

_ARABIC_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u2212": "-"})
# Longest alternatives first so "ر.س." is removed whole, not as "ر.س" + ".".
_MARKERS = r"(?:sar|sr|ر\.\s?س\.?|رس|ريالاً|ريالا|ريال|\ufdfc|\u20c1)"
_MARKER_PREFIX = re.compile(rf"^{_MARKERS}\s*", re.IGNORECASE)
_MARKER_SUFFIX = re.compile(rf"\s*{_MARKERS}$", re.IGNORECASE)
_AMOUNT = re.compile(r"(?P<sign>[-+])?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?")


def _format_error() -> InvalidValue:
    return InvalidValue(
        "money.format",
        _l("Enter an amount in riyals, for example 2000 or 2,000.50."),
    )


def _to_decimal(value: str | int | float | Decimal) -> Decimal:
    """Turn raw input into a Decimal, rejecting anything that is not a number."""
    if isinstance(value, bool):
        raise wrong_type("money")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest string that round-trips: 0.1 -> "0.1",
        # not the binary expansion 0.1000000000000000055...
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise wrong_type("money")
    text = strip_invisibles(normalize_digits(value).translate(_ARABIC_SEPARATORS))
    text = _MARKER_SUFFIX.sub("", _MARKER_PREFIX.sub("", text)).strip()
    if not text:
        raise InvalidValue("money.empty", _l("Enter an amount."))
    match = _AMOUNT.fullmatch(text)
    if match is None:
        try:
            special = Decimal(text)
        except InvalidOperation:
            raise _format_error() from None
        if not special.is_finite():
            return special  # reported as money.not_finite by the caller
        raise _format_error()  # e.g. "1e3": valid Decimal, not an amount
    number = match["whole"].replace(",", "")
    if match["fraction"] is not None:
        number += "." + match["fraction"]
    return Decimal((match["sign"] or "") + number)


def parse_sar(
    value: str | int | float | Decimal,
    *,
    maximum: Decimal | int | None = DEFAULT_MAXIMUM,
) -> Decimal:
    """Parse an amount of riyals into a ``Decimal`` with two decimal places.

    :param maximum: largest accepted amount (inclusive); ``None`` for none.
    :raises InvalidValue: with code ``money.empty``, ``.type``, ``.format``,
        ``.not_finite``, ``.negative``, ``.decimals`` or ``.too_large``.
    """
    amount = _to_decimal(value)
    if not amount.is_finite():
        raise InvalidValue("money.not_finite", _l("The amount must be a number."))
    if amount < 0:
        raise InvalidValue("money.negative", _l("The amount cannot be negative."))
    if maximum is not None and amount > maximum:
        shown = f"{Decimal(maximum).quantize(HALALA):,}"
        raise InvalidValue(
            "money.too_large",
            _l("The amount cannot be more than %(maximum)s SAR.", maximum=shown),
            maximum=shown,
        )
    with localcontext() as context:
        # Enough precision that quantize() never overflows, even with no maximum.
        context.prec = max(context.prec, amount.adjusted() + 3)
        quantised = amount.quantize(HALALA)
    if quantised != amount:
        raise InvalidValue(
            "money.decimals",
            _l("An amount can have at most two decimal places (halalas)."),
        )
    # copy_abs() is exact (abs() would round to the context precision) and
    # turns "-0.00" into "0.00".
    return quantised.copy_abs()


def format_sar(amount: Decimal | int | str, locale: str | Locale) -> str:
    """Format an amount of riyals for display in ``locale``: ``2,000.00 SAR`` / ``2,000.00 ر.س``.

    The SDK's formatting layer (:func:`bawaba_sdk.formatting.format_amount`)
    decides how; this name stays for the callers that pass a locale. The
    text parses back with :func:`parse_sar`.
    """
    return format_amount(Decimal(amount).quantize(HALALA), CURRENCY, language=Locale.parse(locale).language)


__all__ = ["CURRENCY", "DEFAULT_MAXIMUM", "format_sar", "parse_sar"]
