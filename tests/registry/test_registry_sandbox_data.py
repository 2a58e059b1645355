"""The packaged sandbox registry: at least 50 valid fictional people, with the varieties the programs need."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from bawaba_sdk.validators import IdType, gregorian_to_hijri, is_saudi_mobile, mask_mobile, parse_national_id
from gateway.registry import RegistryAdapter, Relation, SandboxRegistry
from gateway.registry.adapter import DEFAULT_SANDBOX_FILE

TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def registry() -> SandboxRegistry:
    return SandboxRegistry(DEFAULT_SANDBOX_FILE)


def test_the_packaged_file_loads_at_least_50_people(registry: SandboxRegistry) -> None:
    assert isinstance(registry, RegistryAdapter)
    people = list(registry.all_records())
    assert len(people) == len(registry) >= 50
    assert len({person.id_number for person in people}) == len(people)


def test_every_record_is_valid(registry: SandboxRegistry) -> None:
    everyone: dict[str, tuple[str, datetime.date]] = {}
    for person in registry.all_records():
        parsed = parse_national_id(person.id_number)
        assert parsed.id_type == person.id_type
        assert (person.nationality == "SA") == (person.id_type == IdType.CITIZEN)
        assert is_saudi_mobile(person.mobile)
        assert person.mobile.startswith("+9665")
        mask_mobile(person.mobile)  # what the registration page will show
        assert datetime.date(1924, 8, 1) < person.birth_date <= TODAY
        assert person.age_on(TODAY) >= 18, "people who register are adults"
        gregorian_to_hijri(person.birth_date)
        assert person.unpaid_violations >= 0
        for text in (person.first_name_ar, person.family_name_ar):
            assert any("\u0600" <= char <= "\u06ff" for char in text), text
        for text in (person.first_name_en, person.family_name_en):
            assert text.isascii(), text
        for member in person.household:
            assert parse_national_id(member.id_number).id_type == member.id_type
            assert member.birth_date <= TODAY
            facts = (member.first_name_en, member.birth_date)
            assert everyone.setdefault(member.id_number, facts) == facts
    for person in registry.all_records():
        if person.id_number in everyone:
            assert everyone[person.id_number] == (person.first_name_en, person.birth_date)


def test_the_file_has_the_varieties_the_programs_need(registry: SandboxRegistry) -> None:
    people = list(registry.all_records())
    types = Counter(person.id_type for person in people)
    assert types[IdType.CITIZEN] >= 20
    assert types[IdType.RESIDENT] >= 15
    nationalities = {person.nationality for person in people if person.id_type == IdType.RESIDENT}
    assert {"IN", "PH", "EG", "PK"} <= nationalities
    assert len(nationalities) >= 8

    with_violations = [person for person in people if person.has_unpaid_violations]
    assert len(with_violations) >= 5
    assert len({person.unpaid_violations for person in with_violations}) >= 5, "varied amounts"
    assert any(person.unpaid_violations != person.unpaid_violations.to_integral() for person in with_violations)
    inactive = [person for person in people if not person.account_active]
    assert 3 <= len(inactive) < len(people) // 4
    assert {IdType.CITIZEN, IdType.RESIDENT} <= {person.id_type for person in inactive}
    assert any(not p.account_active and p.has_unpaid_violations for p in people)

    households = [person for person in people if person.household]
    assert len(households) >= 10
    with_minors = [p for p in households if any(m.relation.is_child and m.is_minor_on(TODAY) for m in p.household)]
    with_adult_children = [
        p for p in households if any(m.relation.is_child and not m.is_minor_on(TODAY) for m in p.household)
    ]
    with_parents = [p for p in households if any(m.relation.is_parent for m in p.household)]
    assert len(with_minors) >= 5
    assert len(with_adult_children) >= 3
    assert len(with_parents) >= 3
    assert any(m.age_on(TODAY) >= 65 for p in with_parents for m in p.household if m.relation.is_parent)
    assert any(p.id_type == IdType.RESIDENT for p in with_minors), "resident families too"
    assert any(m.relation == Relation.SPOUSE and m.id_type != p.id_type for p in households for m in p.household), (
        "a citizen married to a resident"
    )


def test_the_memorable_people_are_as_the_readme_says(registry: SandboxRegistry) -> None:
    readme = (DEFAULT_SANDBOX_FILE.parent / "README.md").read_text(encoding="utf-8")
    ahmed = registry.lookup("1000000008")
    assert ahmed is not None
    assert (ahmed.first_name_en, ahmed.family_name_ar, ahmed.account_active) == ("Ahmed", "الزهراني", True)
    assert ahmed.unpaid_violations == 0
    assert ahmed.birth_date_hijri.isoformat() == "1404-06-13"
    assert [m.relation for m in ahmed.household] == ["spouse", "son", "daughter", "son"]
    khalid = registry.lookup("1000000016")
    assert khalid is not None and khalid.unpaid_violations == Decimal("1250.00") and khalid.account_active
    fahad = registry.lookup("1000000024")
    assert fahad is not None and not fahad.account_active and not fahad.has_unpaid_violations
    maria = registry.lookup("2000000014")
    assert maria is not None and maria.id_type == IdType.RESIDENT and not maria.account_active
    rajesh = registry.lookup("2000000006")
    assert rajesh is not None and rajesh.nationality == "IN" and rajesh.first_name_ar == "راجيش"
    for record in (ahmed, khalid, fahad, maria, rajesh):
        assert f"`{record.id_number}` | {record.full_name_en} / {record.full_name_ar}" in readme
    people = list(registry.all_records())
    assert f"{len(people)} people in all" in readme
    assert f"{sum(not p.account_active for p in people)} with an inactive account" in readme
    assert f"{sum(p.has_unpaid_violations for p in people)} with unpaid violations" in readme


def test_lookup_returns_the_record_or_none(registry: SandboxRegistry) -> None:
    record = registry.lookup("1000000032")
    assert record is not None
    assert record.full_name_en == "Fatimah Al-Qahtani"
    assert record.full_name_ar == "فاطمة القحطاني"
    assert registry.lookup("1000000107") is None  # valid check digit, nobody has it
    assert registry.lookup("1000000017") is None  # invalid: the caller validates first, lookup just misses
    household_only = record.household[0].id_number
    assert registry.lookup(household_only) is None, "a dependant is not a registry record of their own here"


def test_household_members_ages(registry: SandboxRegistry) -> None:
    fatimah = registry.lookup("1000000032")
    assert fatimah is not None
    mother = next(m for m in fatimah.household if m.relation == Relation.MOTHER)
    assert mother.age_on(datetime.date(2026, 4, 2)) == 75
    assert mother.age_on(datetime.date(2026, 4, 3)) == 76
    nasser = next(m for m in fatimah.household if m.first_name_en == "Nasser")
    assert nasser.is_minor_on(datetime.date(2028, 8, 14))
    assert not nasser.is_minor_on(datetime.date(2028, 8, 15))
    assert fatimah.member(nasser.id_number) == nasser
    assert fatimah.member("1000000008") is None


def test_the_data_file_is_plain_utf8_json_with_string_amounts() -> None:
    data = json.loads(Path(DEFAULT_SANDBOX_FILE).read_text(encoding="utf-8"))
    assert all(isinstance(person["unpaid_violations"], str) for person in data["people"])
    assert all(isinstance(person.get("monthly_income", ""), str) for person in data["people"])


def test_monthly_incomes_are_as_the_readme_says(registry: SandboxRegistry) -> None:
    expected = {
        "1000000008": Decimal("18000.00"),
        "1000000016": Decimal("14500.00"),
        "1000000032": Decimal("3500.00"),
        "2000000006": Decimal("12000.00"),
        "2000000022": Decimal("9000.00"),
        "2000000030": Decimal("4500.00"),
        "2000000048": None,
    }
    for id_number, income in expected.items():
        record = registry.lookup(id_number)
        assert record is not None and record.monthly_income == income, id_number
    incomes = [p.monthly_income for p in registry.all_records() if p.monthly_income is not None]
    assert len(incomes) >= 55, "most people have a wage record"
    assert min(incomes) >= Decimal("3000") and max(incomes) <= Decimal("40000")
