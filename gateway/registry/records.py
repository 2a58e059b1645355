"""What the national registry says about a person: the record every adapter returns.

The registry (Absher/Yakeen in real life) is the source of truth for who a
person is; the portal copies a record into its own ``people`` table only when
the person registers, and programs read that copy. These dataclasses are the
one shape the rest of the portal sees, whichever adapter produced them.

Why the records validate themselves: a real adapter parses some outside
system's answer into these types, and a program that receives a record must be
able to trust it (a mobile number that is really a mobile, because codes are
sent to it; an ID whose type matches its first digit; money as ``Decimal``).
So an impossible record cannot be constructed at all, whatever built it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from bawaba_sdk.validators import (
    GREGORIAN_MIN,
    HijriDate,
    IdType,
    InvalidValue,
    gregorian_to_hijri,
    normalize_saudi_mobile,
    parse_national_id,
)

HALALA = Decimal("0.01")
SAUDI_ARABIA = "SA"
_COUNTRY = re.compile(r"[A-Z]{2}")


class Relation(StrEnum):
    """How a household member is related to the person whose record lists them."""

    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    FATHER = "father"
    MOTHER = "mother"
    BROTHER = "brother"
    SISTER = "sister"

    @property
    def is_child(self) -> bool:
        return self in (Relation.SON, Relation.DAUGHTER)

    @property
    def is_parent(self) -> bool:
        return self in (Relation.FATHER, Relation.MOTHER)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years between ``birth_date`` and ``day`` (someone born 29 Feb ages on 1 Mar)."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


ADULT_AGE = 18


def _check_id(id_number: str, id_type: IdType, what: str) -> None:
    """The ID must already be canonical (10 ASCII digits), valid, and of the stated type."""
    if not isinstance(id_number, str):
        raise ValueError(f"{what}: id_number must be a string")
    try:
        parsed = parse_national_id(id_number)
    except InvalidValue as exc:
        raise ValueError(f"{what}: id_number {id_number!r} is not valid ({exc.code})") from exc
    if parsed.number != id_number:
        raise ValueError(f"{what}: id_number {id_number!r} must be 10 ASCII digits without spaces")
    if not isinstance(id_type, IdType):
        raise ValueError(f"{what}: id_type must be an IdType, not {id_type!r}")
    if parsed.id_type != id_type:
        raise ValueError(
            f"{what}: id_type {id_type.value!r} does not match {id_number} (it starts with {id_number[0]})"
        )


def _check_birth_date(birth_date: datetime.date, what: str) -> None:
    """Gregorian, convertible to Hijri (the Umm al-Qura table starts in 1924), and not in the future."""
    if not isinstance(birth_date, datetime.date) or isinstance(birth_date, datetime.datetime):
        raise ValueError(f"{what}: birth_date must be a datetime.date")
    if not GREGORIAN_MIN <= birth_date <= datetime.date.today():
        raise ValueError(f"{what}: birth_date {birth_date} must be between {GREGORIAN_MIN} and today")


def _check_name(value: str, field: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValueError(f"{what}: {field} must be non-empty text without surrounding spaces")


def _is_halalas(amount: object) -> bool:
    """A non-negative, finite ``Decimal`` with at most two decimal places (money, never a float)."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        return False
    try:
        return amount == amount.quantize(HALALA)
    except InvalidOperation:  # more digits than the context holds: not an amount anyone earns
        return False


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """Someone in the person's family register: a dependant or a parent.

    Programs that assess a household (social security) need each member's
    relation and age; the member's family name is the head's unless they are
    in the registry themselves, where their own record says it.
    """

    id_number: str
    relation: Relation
    first_name_ar: str
    first_name_en: str
    birth_date: datetime.date
    id_type: IdType

    def __post_init__(self) -> None:
        what = f"household member {self.id_number!r}"
        _check_id(self.id_number, self.id_type, what)
        if not isinstance(self.relation, Relation):
            raise ValueError(f"{what}: relation must be a Relation, not {self.relation!r}")
        _check_name(self.first_name_ar, "first_name_ar", what)
        _check_name(self.first_name_en, "first_name_en", what)
        _check_birth_date(self.birth_date, what)

    def age_on(self, day: datetime.date) -> int:
        """Completed years on ``day``."""
        return age_on(self.birth_date, day)

    def is_minor_on(self, day: datetime.date) -> bool:
        """Under 18 on ``day``: the age that decides who counts as a dependent child."""
        return self.age_on(day) < ADULT_AGE


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    """One person as the national registry knows them.

    ``birth_date`` is Gregorian; a citizen's Hijri birth date (what their ID
    card shows and what they type) is derived from it, so the two can never
    disagree. ``mobile`` is E.164 (``+9665XXXXXXXX``), the only number a
    registration code may be sent to. ``account_active`` is the person's
    Absher account, a precondition of some programs (Musaned).
    """

    id_number: str
    id_type: IdType
    first_name_ar: str
    family_name_ar: str
    first_name_en: str
    family_name_en: str
    birth_date: datetime.date
    nationality: str
    mobile: str
    account_active: bool
    unpaid_violations: Decimal
    household: tuple[HouseholdMember, ...] = ()
    monthly_income: Decimal | None = None
    """The registered monthly income in SAR (wage records), ``None`` when the registry has none.

    Musaned compares it with the minimum income for a recruitment visa; a
    person without one is assessed from the proof they upload instead.
    """

    def __post_init__(self) -> None:
        what = f"registry record {self.id_number!r}"
        _check_id(self.id_number, self.id_type, what)
        for field in ("first_name_ar", "family_name_ar", "first_name_en", "family_name_en"):
            _check_name(getattr(self, field), field, what)
        _check_birth_date(self.birth_date, what)
        if not isinstance(self.nationality, str) or not _COUNTRY.fullmatch(self.nationality):
            raise ValueError(f"{what}: nationality {self.nationality!r} must be an ISO 3166-1 alpha-2 code")
        if (self.id_type == IdType.CITIZEN) != (self.nationality == SAUDI_ARABIA):
            raise ValueError(f"{what}: citizens are Saudi (SA) and residents are not; got {self.nationality}")
        try:
            mobile = normalize_saudi_mobile(self.mobile) if isinstance(self.mobile, str) else None
        except InvalidValue as exc:
            raise ValueError(f"{what}: mobile {self.mobile!r} is not a Saudi mobile number ({exc.code})") from exc
        if mobile != self.mobile:
            raise ValueError(f"{what}: mobile {self.mobile!r} must be in E.164 form (+9665XXXXXXXX)")
        if not isinstance(self.account_active, bool):
            raise ValueError(f"{what}: account_active must be true or false")
        if not _is_halalas(self.unpaid_violations):
            raise ValueError(f"{what}: unpaid_violations must be a non-negative Decimal amount in halalas")
        if self.monthly_income is not None and not _is_halalas(self.monthly_income):
            raise ValueError(f"{what}: monthly_income must be None or a non-negative Decimal amount in halalas")
        if not isinstance(self.household, tuple) or not all(isinstance(m, HouseholdMember) for m in self.household):
            raise ValueError(f"{what}: household must be a tuple of HouseholdMember")
        seen = {self.id_number}
        for member in self.household:
            if member.id_number in seen:
                raise ValueError(f"{what}: {member.id_number} appears twice in the household (or is the person)")
            seen.add(member.id_number)

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.family_name_ar}"

    @property
    def full_name_en(self) -> str:
        return f"{self.first_name_en} {self.family_name_en}"

    @property
    def is_citizen(self) -> bool:
        return self.id_type == IdType.CITIZEN

    @property
    def birth_date_hijri(self) -> HijriDate:
        """The Umm al-Qura birth date: what a citizen's ID card shows and what they type."""
        return gregorian_to_hijri(self.birth_date)

    @property
    def has_unpaid_violations(self) -> bool:
        return self.unpaid_violations > 0

    def age_on(self, day: datetime.date) -> int:
        """Completed years on ``day``."""
        return age_on(self.birth_date, day)

    def member(self, id_number: str) -> HouseholdMember | None:
        """The household member with this ID number, if any."""
        return next((m for m in self.household if m.id_number == id_number), None)


__all__ = ["ADULT_AGE", "HouseholdMember", "RegistryRecord", "Relation", "age_on"]
