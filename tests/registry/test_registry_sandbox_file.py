"""A bad sandbox data file stops loading with a message naming every problem."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gateway.registry import SandboxDataError, SandboxRegistry
from gateway.settings import ConfigError

GOOD: dict[str, Any] = {
    "id_number": "1000000008",
    "id_type": "citizen",
    "first_name_ar": "أحمد",
    "family_name_ar": "الزهراني",
    "first_name_en": "Ahmed",
    "family_name_en": "Al-Zahrani",
    "birth_date": "1984-03-15",
    "nationality": "SA",
    "mobile": "+966501234567",
    "account_active": True,
    "unpaid_violations": "0.00",
    "household": [
        {
            "id_number": "1000000081",
            "id_type": "citizen",
            "relation": "spouse",
            "first_name_ar": "نورة",
            "first_name_en": "Noura",
            "birth_date": "1988-07-02",
        }
    ],
}
RESIDENT: dict[str, Any] = {
    **GOOD,
    "id_number": "2000000006",
    "id_type": "resident",
    "nationality": "IN",
    "mobile": "+966561230001",
    "household": [],
}


def write(tmp_path: Path, people: Any) -> Path:
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"people": people}, ensure_ascii=False), encoding="utf-8")
    return path


def problems(tmp_path: Path, people: Any) -> str:
    with pytest.raises(SandboxDataError) as caught:
        SandboxRegistry(write(tmp_path, people))
    assert isinstance(caught.value, ConfigError), "a bad file stops the start-up like any bad setting"
    return str(caught.value)


def changed(base: dict[str, Any], **fields: Any) -> dict[str, Any]:
    person = copy.deepcopy(base)
    person.update(fields)
    return person


def test_a_good_small_file_loads(tmp_path: Path) -> None:
    registry = SandboxRegistry(write(tmp_path, [GOOD, RESIDENT]))
    assert [record.id_number for record in registry.all_records()] == ["1000000008", "2000000006"]
    record = registry.lookup("1000000008")
    assert record is not None and record.household[0].first_name_en == "Noura"
    assert "2 people" in repr(registry)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id_number": "1000000007"}, "1000000007' is not valid (national_id.check_digit)"),
        ({"id_number": "100000000"}, "(national_id.length)"),
        ({"id_number": "١٠٠٠٠٠٠٠٠٨"}, "must be 10 ASCII digits"),
        ({"id_type": "resident"}, "id_type 'resident' does not match 1000000008"),
        ({"id_type": "visitor"}, "id_type 'visitor' must be citizen or resident"),
        ({"mobile": "+966112345678"}, "is not a Saudi mobile number (phone.landline)"),
        ({"mobile": "+966521234567"}, "(phone.unallocated)"),
        ({"mobile": "0501234567"}, "must be in E.164 form"),
        ({"birth_date": "1920-01-01"}, "birth_date 1920-01-01 must be between 1924-08-01 and today"),
        ({"birth_date": "2999-01-01"}, "must be between 1924-08-01 and today"),
        ({"birth_date": "15/03/1984"}, "must be a Gregorian date YYYY-MM-DD"),
        ({"birth_date": "1984-02-30"}, "must be a Gregorian date YYYY-MM-DD"),
        ({"nationality": "Saudi"}, "must be an ISO 3166-1 alpha-2 code"),
        ({"nationality": "EG"}, "citizens are Saudi (SA) and residents are not"),
        ({"account_active": "yes"}, "account_active must be true or false"),
        ({"unpaid_violations": 12.5}, 'must be an amount written as a string, e.g. "1250.00"'),
        ({"unpaid_violations": "-5.00"}, "unpaid_violations must be a non-negative Decimal"),
        ({"unpaid_violations": "1.005"}, "unpaid_violations must be a non-negative Decimal"),
        ({"unpaid_violations": "lots"}, "unpaid_violations 'lots' is not a number"),
        ({"first_name_en": " "}, "first_name_en must be non-empty text"),
        ({"family_name_ar": 7}, "family_name_ar must be a string"),
        ({"household": {}}, "household must be a list"),
        ({"email": "x@example.com"}, "unknown field email"),
        ({"monthly_income": 18000.5}, 'monthly_income must be an amount written as a string, e.g. "1250.00"'),
        ({"monthly_income": "-1.00"}, "monthly_income must be None or a non-negative Decimal"),
        ({"monthly_income": "1000.001"}, "monthly_income must be None or a non-negative Decimal"),
        ({"monthly_income": "1e40"}, "monthly_income must be None or a non-negative Decimal"),
        ({"monthly_income": "plenty"}, "monthly_income 'plenty' is not a number"),
        ({"monthly_income": None}, "monthly_income must be an amount written as a string"),
    ],
)
def test_each_kind_of_bad_record_is_named(tmp_path: Path, fields: dict[str, Any], expected: str) -> None:
    message = problems(tmp_path, [RESIDENT, changed(GOOD, **fields)])
    assert "person 2: " in message
    assert expected in message


def test_monthly_income_is_optional_and_read_as_a_decimal(tmp_path: Path) -> None:
    registry = SandboxRegistry(write(tmp_path, [changed(GOOD, monthly_income="18000.00"), RESIDENT]))
    ahmed, rajesh = registry.lookup("1000000008"), registry.lookup("2000000006")
    assert ahmed is not None and ahmed.monthly_income == Decimal("18000.00")
    assert isinstance(ahmed.monthly_income, Decimal)
    assert rajesh is not None and rajesh.monthly_income is None, "no wage record: no income, not zero"


def test_missing_fields_are_named(tmp_path: Path) -> None:
    person = copy.deepcopy(GOOD)
    del person["mobile"], person["household"]
    assert "person 1: missing household, mobile" in problems(tmp_path, [person])


@pytest.mark.parametrize(
    ("member_fields", "expected"),
    [
        ({"id_number": "1000000082"}, "household member 1: household member '1000000082'"),
        ({"relation": "cousin"}, "relation 'cousin' must be one of spouse, son, daughter"),
        ({"id_number": "1000000008"}, "appears twice in the household (or is the person)"),
        ({"id_type": "resident"}, "id_type 'resident' does not match 1000000081"),
        ({"birth_date": "2999-01-01"}, "must be between 1924-08-01 and today"),
        ({"first_name_ar": ""}, "first_name_ar must be non-empty text"),
    ],
)
def test_bad_household_members_are_named(tmp_path: Path, member_fields: dict[str, Any], expected: str) -> None:
    person = copy.deepcopy(GOOD)
    person["household"][0].update(member_fields)
    assert expected in problems(tmp_path, [person])


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    message = problems(
        tmp_path,
        [changed(GOOD, mobile="+966112345678"), RESIDENT, changed(RESIDENT, nationality="SA"), GOOD],
    )
    assert "person 1: " in message
    assert "person 2" not in message
    assert "person 3: " in message
    assert "person 4: id_number 1000000008 is listed twice" not in message, "person 1 was rejected"
    assert message.startswith("registry sandbox file ")


def test_the_same_id_twice_is_refused(tmp_path: Path) -> None:
    assert "person 3: id_number 1000000008 is listed twice" in problems(tmp_path, [GOOD, RESIDENT, GOOD])


def test_someone_listed_twice_must_be_the_same_person(tmp_path: Path) -> None:
    noura = changed(
        GOOD,
        id_number="1000000081",
        first_name_ar="نورة",
        first_name_en="Nora",
        birth_date="1988-07-02",
        mobile="+966558889900",
        household=[],
    )
    message = problems(tmp_path, [GOOD, noura])
    assert "1000000081 in the household of 1000000008 has other names, birth date or ID type" in message
    noura["first_name_en"] = "Noura"
    registry = SandboxRegistry(write(tmp_path, [GOOD, noura]))
    assert registry.lookup("1000000081") is not None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ('[{"id_number": "1000000008"}]', 'must be a JSON object with a "people" list'),
        ('{"people": []}', "it lists no people"),
        ('{"people": ["Ahmed"]}', "person 1: a person must be a JSON object"),
    ],
)
def test_a_malformed_file_is_refused(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "people.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SandboxDataError, match="registry sandbox file") as caught:
        SandboxRegistry(path)
    assert expected in str(caught.value)


def test_a_missing_or_undecodable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SandboxDataError, match="cannot be read"):
        SandboxRegistry(tmp_path / "nowhere.json")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"people": ["é"]}'.encode("latin-1"))
    with pytest.raises(SandboxDataError, match="is not UTF-8"):
        SandboxRegistry(latin)
