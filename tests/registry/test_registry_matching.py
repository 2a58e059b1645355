"""Step 1 of registration: every outcome of match_registration, and the spellings people type."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from bawaba_sdk.validators import IdType, parse_hijri
from gateway.registry import RegistryMatch, RegistryRecord, match_registration, normalize_name
from gateway.registry.adapter import DEFAULT_SANDBOX_FILE
from gateway.registry.matching import names_match
from gateway.registry.sandbox import SandboxRegistry

AHMED = RegistryRecord(
    id_number="1000000008",
    id_type=IdType.CITIZEN,
    first_name_ar="أحمد",
    family_name_ar="الزهراني",
    first_name_en="Ahmed",
    family_name_en="Al-Zahrani",
    birth_date=datetime.date(1984, 3, 15),
    nationality="SA",
    mobile="+966501234567",
    account_active=True,
    unpaid_violations=Decimal("0.00"),
)


def check(record: RegistryRecord | None = AHMED, **form: object) -> RegistryMatch:
    fields: dict[str, object] = {
        "id_type": IdType.CITIZEN,
        "first_name": "أحمد",
        "family_name": "الزهراني",
        "birth_date": datetime.date(1984, 3, 15),
    }
    fields.update(form)
    return match_registration(record, **fields)  # type: ignore[arg-type]


def test_the_registry_details_match() -> None:
    assert check() is RegistryMatch.MATCH


def test_an_unknown_id_is_unknown_whatever_was_typed() -> None:
    assert check(None) is RegistryMatch.UNKNOWN_ID
    assert check(None, first_name="") is RegistryMatch.UNKNOWN_ID


@pytest.mark.parametrize(
    "form",
    [
        {"first_name": "محمد"},
        {"family_name": "الغامدي"},
        {"first_name": "Ahmad"},
        {"first_name": ""},
        {"first_name": "   "},
        {"first_name": "أحمد الزهراني", "family_name": ""},
        {"birth_date": datetime.date(1984, 3, 16)},
        {"birth_date": datetime.date(1985, 3, 15)},
        {"id_type": IdType.RESIDENT},
        {"id_type": "resident"},
        {"id_type": "something"},
    ],
)
def test_any_difference_is_a_mismatch(form: dict[str, Any]) -> None:
    assert check(**form) is RegistryMatch.MISMATCH


def test_an_inactive_account_is_told_only_after_everything_matched() -> None:
    inactive = replace(AHMED, account_active=False)
    assert check(inactive) is RegistryMatch.INACTIVE_ACCOUNT
    assert check(inactive, first_name="محمد") is RegistryMatch.MISMATCH, "no hint about the account to a stranger"
    assert check(inactive, birth_date=datetime.date(1990, 1, 1)) is RegistryMatch.MISMATCH


@pytest.mark.parametrize(
    ("first_name", "family_name"),
    [
        ("احمد", "الزهراني"),  # no hamza
        ("إحمد", "الزهراني"),  # hamza below
        ("آحمد", "الزهراني"),  # madda
        ("أَحْمَد", "الزَّهْرَانِي"),  # harakat and shadda
        ("أحـــمد", "الزهـراني"),  # tatweel
        ("  أحمد ", " الزهراني  "),
        ("\ufe8d\ufea3\ufee3\ufeaa", "الزهراني"),  # presentation forms (NFKC)
        ("Ahmed", "Al-Zahrani"),
        ("AHMED", "al zahrani"),
        ("ahmed", "Alzahrani"),
        ("Ahmed", "الزهراني"),  # one in each script
        ("أحمد", "Al-Zahrani"),
        ("Ａｈｍｅｄ", "Al-Zahrani"),  # full-width letters (NFKC)
    ],
)
def test_spelling_variants_of_the_same_name_match(first_name: str, family_name: str) -> None:
    assert check(first_name=first_name, family_name=family_name) is RegistryMatch.MATCH


@pytest.mark.parametrize(
    ("typed", "registered"),
    [
        ("يحيي", "يحيى"),  # alef maqsura written as yeh
        ("فاطمه", "فاطمة"),  # teh marbuta written as heh
        ("فاطمة", "فاطمه"),
        ("عبد الرحمن", "عبدالرحمن"),  # compound names with or without a space
        ("ال الشيخ", "آل الشيخ"),
        ("آل الشيخ", "ال الشيخ"),
        ("آلالشيخ", "آل الشيخ"),
        ("عائشة", "عائشه"),
        ("یحیی", "يحيى"),  # Farsi yeh from a Persian/Urdu keyboard
        ("ملک", "ملك"),  # keheh
        ("إبراهيم", "ابراهيم"),
        ("ٱبراهيم", "إبراهيم"),  # alef wasla
        ("Abdul Rahman", "Abdulrahman"),
        ("Dela Cruz", "dela-cruz"),
        ("O'Brien", "OBrien"),
        ("ABDULLAH", "abdullah"),
        ("Straße", "STRASSE"),  # casefold, not lower
    ],
)
def test_normalisation_equates_what_people_consider_the_same(typed: str, registered: str) -> None:
    assert names_match(typed, registered)
    assert normalize_name(typed) == normalize_name(registered)


@pytest.mark.parametrize(
    ("typed", "registered"),
    [
        ("محمد", "محمود"),
        ("سعد", "سعود"),
        ("حسن", "حسين"),
        ("Ahmed", "Ahmad"),
        ("Mohammed", "Mohamed"),
        ("", ""),
        (" ", "-"),
    ],
)
def test_different_names_stay_different(typed: str, registered: str) -> None:
    assert not names_match(typed, registered)


def test_a_hijri_birth_date_converted_by_the_caller_matches() -> None:
    assert check(birth_date=parse_hijri("١٣/٠٦/١٤٠٤").to_gregorian()) is RegistryMatch.MATCH
    assert check(birth_date=parse_hijri("1404-06-14").to_gregorian()) is RegistryMatch.MISMATCH


def test_a_datetime_compares_by_its_date() -> None:
    assert check(birth_date=datetime.datetime(1984, 3, 15, 23, 59)) is RegistryMatch.MATCH


def test_a_resident_may_type_the_passport_name_or_the_arabic_one() -> None:
    registry = SandboxRegistry(DEFAULT_SANDBOX_FILE)
    rajesh = registry.lookup("2000000006")
    assert rajesh is not None
    born = datetime.date(1986, 1, 12)
    resident = IdType.RESIDENT
    assert check(rajesh, id_type=resident, first_name="rajesh", family_name="KUMAR", birth_date=born) == "match"
    assert check(rajesh, id_type=resident, first_name="راجيش", family_name="كومار", birth_date=born) == "match"
    assert check(rajesh, id_type="citizen", first_name="Rajesh", family_name="Kumar", birth_date=born) == "mismatch"
    maria = registry.lookup("2000000014")
    assert maria is not None
    outcome = check(maria, id_type="resident", first_name="Maria", family_name="Santos", birth_date=maria.birth_date)
    assert outcome is RegistryMatch.INACTIVE_ACCOUNT


@pytest.mark.parametrize(
    ("id_number", "first_name", "family_name"),
    [
        ("1000000008", "احمد", "الزهراني"),
        ("1000000040", "عبد الرحمن", "ال الشيخ"),
        ("1000000057", "يحيي", "الحربي"),
        ("1000000032", "فاطمه", "القحطانى"),
        ("1000000032", "Fatimah", "Al Qahtani"),
    ],
)
def test_the_readme_spelling_examples_match_the_sandbox_people(
    id_number: str, first_name: str, family_name: str
) -> None:
    record = SandboxRegistry(DEFAULT_SANDBOX_FILE).lookup(id_number)
    assert record is not None
    outcome = check(record, first_name=first_name, family_name=family_name, birth_date=record.birth_date)
    assert outcome is RegistryMatch.MATCH
