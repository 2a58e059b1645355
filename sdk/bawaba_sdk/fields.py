"""Marshmallow fields for the values every government program asks for.

Plugins declare their forms as marshmallow schemas; these fields plug the
SDK validators into them. Why fields rather than ``validate=`` callables:
the validators *normalise* (Arabic-Indic digits to ASCII, any phone format
to E.164, text to ``HijriDate``/``Decimal``), and only ``_deserialize`` can
change the loaded value.

A rejected value always becomes a :class:`marshmallow.ValidationError` on
that field — never an exception escaping ``Schema.load`` — whose message is
the validator's message translated *at load time*, i.e. in the locale of
the current request. The validator's machine-readable code travels along in
``ValidationError.kwargs["code"]``. A schema author can replace any message
by code, the marshmallow way::

    NationalIdField(error_messages={"national_id.check_digit": "..."})
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from marshmallow import ValidationError, fields

from bawaba_sdk.validators.dates import (
    HijriDate,
    gregorian_to_hijri,
    parse_gregorian,
    parse_hijri,
)
from bawaba_sdk.validators.errors import InvalidValue
from bawaba_sdk.validators.iban import parse_saudi_iban
from bawaba_sdk.validators.money import DEFAULT_MAXIMUM, HALALA, parse_sar
from bawaba_sdk.validators.national_id import IdType, NationalId, parse_national_id
from bawaba_sdk.validators.phone import normalize_saudi_mobile

_T = TypeVar("_T")


class _ValidatedField(fields.Field[_T]):
    """Shared plumbing: turn an ``InvalidValue`` into a field error."""

    def _fail(self, exc: InvalidValue) -> ValidationError:
        message = self.error_messages.get(exc.code, exc.message)
        # str() renders the lazy string now, in the active request's locale;
        # marshmallow error dicts must hold plain, JSON-serialisable strings.
        return ValidationError(str(message), code=exc.code)


class NationalIdField(_ValidatedField[str]):
    """A national ID or iqama number, loaded as its 10 ASCII digits.

    :param id_type: accept only citizens (``IdType.CITIZEN`` / ``"citizen"``)
        or only residents; ``None`` accepts both.
    """

    def __init__(self, *, id_type: IdType | str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.id_type = IdType(id_type) if id_type is not None else None

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> str:
        # JSON clients may send the number as a number; an ID never starts
        # with 0, so converting back to text loses nothing.
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        try:
            return parse_national_id(value, id_type=self.id_type).number
        except InvalidValue as exc:
            raise self._fail(exc) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, NationalId):
            return value.number
        return str(value)


class SaudiMobileField(_ValidatedField[str]):
    """A Saudi mobile number in any common form, loaded as E.164 (+9665…)."""

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> str:
        try:
            return normalize_saudi_mobile(value)
        except InvalidValue as exc:
            raise self._fail(exc) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)


class SaudiIbanField(_ValidatedField[str]):
    """A Saudi IBAN (``SA`` and 22 digits, check digits verified), loaded as 24 characters without spaces."""

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> str:
        try:
            return parse_saudi_iban(value)
        except InvalidValue as exc:
            raise self._fail(exc) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)


class HijriDateField(_ValidatedField[HijriDate]):
    """An Umm al-Qura date, loaded as :class:`HijriDate`, dumped as YYYY-MM-DD.

    Dumping also accepts a Gregorian ``datetime.date`` (how dates are stored)
    and shows its Hijri equivalent; a date outside 1924-08-01..2077-11-16
    cannot be converted and raises :class:`InvalidValue`.
    """

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> HijriDate:
        if isinstance(value, HijriDate):
            return value
        try:
            return parse_hijri(value)
        except InvalidValue as exc:
            raise self._fail(exc) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime.date):
            value = gregorian_to_hijri(value)
        return value.isoformat()


class GregorianDateField(_ValidatedField[datetime.date]):
    """A Gregorian date, loaded as ``datetime.date``, dumped as YYYY-MM-DD.

    Unlike marshmallow's ``Date`` it also accepts DD/MM/YYYY and Arabic-Indic
    digits, and its errors are translated.
    """

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_gregorian(value)
        except InvalidValue as exc:
            raise self._fail(exc) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        return value.isoformat()


class SarAmountField(_ValidatedField[Decimal]):
    """An amount of riyals, loaded as a ``Decimal`` with two decimal places.

    Dumped as a string (``"2000.00"``) so that JSON never turns it into a
    binary float.

    :param maximum: largest accepted amount; ``None`` for no limit.
    """

    def __init__(self, *, maximum: Decimal | int | None = DEFAULT_MAXIMUM, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.maximum = maximum

    def _deserialize(
        self,
        value: Any,
        attr: str | None,
        data: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> Decimal:
        try:
            return parse_sar(value, maximum=self.maximum)
        except InvalidValue as exc:
            raise self._fail(exc) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(value).quantize(HALALA))


__all__ = [
    "GregorianDateField",
    "HijriDateField",
    "NationalIdField",
    "SarAmountField",
    "SaudiIbanField",
    "SaudiMobileField",
]
