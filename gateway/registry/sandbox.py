"""The sandbox registry: fictional people from a JSON file, no network.

Developers, the demo and the tests register and sign in as these people. The
file is validated completely when it is loaded and every problem is reported
at once (like the host's settings): a typo in a hand-edited data file must
stop the start-up with "person 12: mobile ... is not a Saudi mobile", not turn
into a confusing registration failure an hour later.

File format (UTF-8 JSON)::

    {"people": [
      {"id_number": "1000000008", "id_type": "citizen",
       "first_name_ar": "أحمد", "family_name_ar": "الزهراني",
       "first_name_en": "Ahmed", "family_name_en": "Al-Zahrani",
       "birth_date": "1984-03-15", "nationality": "SA", "mobile": "+966501234567",
       "account_active": true, "unpaid_violations": "0.00", "monthly_income": "18000.00",
       "household": [{"id_number": "...", "id_type": "citizen", "relation": "daughter",
                      "first_name_ar": "...", "first_name_en": "...", "birth_date": "2012-09-01"}]}
    ]}

``monthly_income`` is optional (a registry without wage records for the
person); every other key is required.

Besides each record's own rules (see :mod:`gateway.registry.records`), the
file must not list one ID twice, and a household member who is also in the
registry (a citizen's wife with her own record) must carry the same name,
birth date and ID type in both places.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from os import PathLike
from pathlib import Path
from typing import Any

from bawaba_sdk.validators import IdType

from ..settings import ConfigError
from .records import HouseholdMember, RegistryRecord, Relation

RECORD_FIELDS = frozenset(
    {
        "id_number",
        "id_type",
        "first_name_ar",
        "family_name_ar",
        "first_name_en",
        "family_name_en",
        "birth_date",
        "nationality",
        "mobile",
        "account_active",
        "unpaid_violations",
        "household",
    }
)
OPTIONAL_RECORD_FIELDS = frozenset({"monthly_income"})
"""Keys a person may leave out: the registry has no wage record for everyone."""
MEMBER_FIELDS = frozenset({"id_number", "id_type", "relation", "first_name_ar", "first_name_en", "birth_date"})


class SandboxDataError(ConfigError):
    """The sandbox data file cannot be used; the message lists every problem."""


class SandboxRegistry:
    """A :class:`~gateway.registry.adapter.RegistryAdapter` over a validated JSON file."""

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)
        self._records: dict[str, RegistryRecord] = _load(self.path)

    def lookup(self, id_number: str) -> RegistryRecord | None:
        return self._records.get(id_number)

    def all_records(self) -> Iterator[RegistryRecord]:
        """Every person, in the file's order (the memorable demo people come first)."""
        return iter(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return f"SandboxRegistry({str(self.path)!r}, {len(self._records)} people)"


def _load(path: Path) -> dict[str, RegistryRecord]:
    where = f"registry sandbox file {str(path)!r}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SandboxDataError(f"{where} cannot be read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SandboxDataError(f"{where} is not UTF-8: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SandboxDataError(f"{where} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("people"), list):
        raise SandboxDataError(f'{where} must be a JSON object with a "people" list')
    problems: list[str] = []
    records: dict[str, RegistryRecord] = {}
    for index, item in enumerate(data["people"], start=1):
        try:
            record = _record(item)
        except (ValueError, TypeError) as exc:
            problems.append(f"person {index}: {exc}")
            continue
        if record.id_number in records:
            problems.append(f"person {index}: id_number {record.id_number} is listed twice")
            continue
        records[record.id_number] = record
    if not problems:
        problems.extend(_inconsistent_members(records))
    if not records and not problems:
        problems.append("it lists no people")
    if problems:
        raise SandboxDataError(f"{where} is invalid:\n  " + "\n  ".join(problems))
    return records


def _inconsistent_members(records: Mapping[str, RegistryRecord]) -> Iterator[str]:
    """A person listed in several places must be the same person everywhere."""
    seen: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for record in records.values():
        seen[record.id_number] = (
            f"the record of {record.id_number}",
            (record.first_name_ar, record.first_name_en, record.birth_date, record.id_type),
        )
    for record in records.values():
        for member in record.household:
            facts = (member.first_name_ar, member.first_name_en, member.birth_date, member.id_type)
            where = f"the household of {record.id_number}"
            if member.id_number not in seen:
                seen[member.id_number] = (where, facts)
            elif seen[member.id_number][1] != facts:
                first_place = seen[member.id_number][0]
                yield f"{member.id_number} in {where} has other names, birth date or ID type than in {first_place}"


def _record(item: Any) -> RegistryRecord:
    fields = _fields(item, RECORD_FIELDS, "a person", optional=OPTIONAL_RECORD_FIELDS)
    household = fields["household"]
    if not isinstance(household, list):
        raise ValueError("household must be a list")
    members = []
    for position, member in enumerate(household, start=1):
        try:
            members.append(_member(member))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"household member {position}: {exc}") from exc
    return RegistryRecord(
        id_number=_text(fields, "id_number"),
        id_type=_id_type(fields),
        first_name_ar=_text(fields, "first_name_ar"),
        family_name_ar=_text(fields, "family_name_ar"),
        first_name_en=_text(fields, "first_name_en"),
        family_name_en=_text(fields, "family_name_en"),
        birth_date=_date(fields),
        nationality=_text(fields, "nationality"),
        mobile=_text(fields, "mobile"),
        account_active=_bool(fields, "account_active"),
        unpaid_violations=_amount(fields, "unpaid_violations"),
        household=tuple(members),
        monthly_income=_amount(fields, "monthly_income") if "monthly_income" in fields else None,
    )


def _member(item: Any) -> HouseholdMember:
    fields = _fields(item, MEMBER_FIELDS, "a household member")
    relation = _text(fields, "relation")
    try:
        parsed_relation = Relation(relation)
    except ValueError:
        choices = ", ".join(r.value for r in Relation)
        raise ValueError(f"relation {relation!r} must be one of {choices}") from None
    return HouseholdMember(
        id_number=_text(fields, "id_number"),
        relation=parsed_relation,
        first_name_ar=_text(fields, "first_name_ar"),
        first_name_en=_text(fields, "first_name_en"),
        birth_date=_date(fields),
        id_type=_id_type(fields),
    )


def _fields(item: Any, expected: frozenset[str], what: str, optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"{what} must be a JSON object")
    missing = sorted(expected - item.keys())
    unknown = sorted(item.keys() - expected - optional)
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if unknown:
        raise ValueError(f"unknown field {', '.join(unknown)}")
    return item


def _text(fields: Mapping[str, Any], name: str) -> str:
    value = fields[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _id_type(fields: Mapping[str, Any]) -> IdType:
    value = _text(fields, "id_type")
    try:
        return IdType(value)
    except ValueError:
        raise ValueError(f"id_type {value!r} must be citizen or resident") from None


def _date(fields: Mapping[str, Any]) -> datetime.date:
    value = _text(fields, "birth_date")
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"birth_date {value!r} must be a Gregorian date YYYY-MM-DD") from None


def _bool(fields: Mapping[str, Any], name: str) -> bool:
    value = fields[name]
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false")
    return value


def _amount(fields: Mapping[str, Any], name: str) -> Decimal:
    """Money as a string ("1250.00") or an integer; a JSON float would lose halalas."""
    value = fields[name]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f'{name} must be an amount written as a string, e.g. "1250.00"')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{name} {value!r} is not a number") from None


__all__ = ["SandboxDataError", "SandboxRegistry"]
