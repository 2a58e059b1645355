"""Registry records cannot be built in an impossible state, whichever adapter builds them."""

from __future__ import annotations

import datetime
from dataclasses import FrozenInstanceError, replace
from decimal import Decimal
from typing import Any

import pytest

from bawaba_sdk.validators import IdType, make_national_id
from gateway.registry import HouseholdMember, RegistryRecord, Relation
from gateway.registry.records import age_on

RESIDENT = RegistryRecord(
    id_number="2000000006",
    id_type=IdType.RESIDENT,
    first_name_ar="راجيش",
    family_name_ar="كومار",
    first_name_en="Rajesh",
    family_name_en="Kumar",
    birth_date=datetime.date(1986, 1, 12),
    nationality="IN",
    mobile="+966561230001",
    account_active=True,
    unpaid_violations=Decimal("0.00"),
)
DAUGHTER = HouseholdMember(
    id_number=make_national_id("200000010"),
    relation=Relation.DAUGHTER,
    first_name_ar="أنانيا",
    first_name_en="Ananya",
    birth_date=datetime.date(2016, 7, 7),
    id_type=IdType.RESIDENT,
)


def test_a_record_is_frozen_and_derives_what_programs_ask() -> None:
    record = replace(RESIDENT, household=(DAUGHTER,), unpaid_violations=Decimal("450.00"))
    with pytest.raises(FrozenInstanceError):
        record.mobile = "+966500000000"  # type: ignore[misc]
    assert record.full_name_en == "Rajesh Kumar"
    assert record.full_name_ar == "راجيش كومار"
    assert not record.is_citizen
    assert record.has_unpaid_violations
    assert record.age_on(datetime.date(2026, 1, 11)) == 39
    assert record.age_on(datetime.date(2026, 1, 12)) == 40
    assert record.birth_date_hijri.isoformat() == "1406-05-02"
    assert record.birth_date_hijri.to_gregorian() == record.birth_date
    assert record.member(DAUGHTER.id_number) is DAUGHTER
    assert DAUGHTER.is_minor_on(datetime.date(2034, 7, 6))
    assert not DAUGHTER.is_minor_on(datetime.date(2034, 7, 7))


def test_monthly_income_is_optional_money() -> None:
    assert RESIDENT.monthly_income is None
    assert replace(RESIDENT, monthly_income=Decimal("12000.00")).monthly_income == Decimal("12000.00")
    assert replace(RESIDENT, monthly_income=Decimal("0")).monthly_income == 0


def test_age_on_handles_leap_days_and_datetimes() -> None:
    leapling = datetime.date(2004, 2, 29)
    assert age_on(leapling, datetime.date(2022, 2, 28)) == 17
    assert age_on(leapling, datetime.date(2022, 3, 1)) == 18
    assert age_on(leapling, datetime.datetime(2024, 2, 29, 0, 1)) == 20


def test_relations() -> None:
    assert Relation.SON.is_child and Relation.DAUGHTER.is_child and not Relation.SPOUSE.is_child
    assert Relation.MOTHER.is_parent and not Relation.SISTER.is_parent
    assert Relation("spouse") == "spouse"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id_number": "2000000007"}, "is not valid (national_id.check_digit)"),
        ({"id_number": "2000 000 006"}, "must be 10 ASCII digits"),
        ({"id_type": "resident"}, "id_type must be an IdType"),
        ({"id_type": IdType.CITIZEN}, "does not match 2000000006"),
        ({"mobile": "+966 56 123 0001"}, "must be in E.164 form"),
        ({"mobile": "+201001234567"}, "(phone.foreign)"),
        ({"nationality": "in"}, "ISO 3166-1 alpha-2"),
        ({"nationality": "SA"}, "citizens are Saudi (SA) and residents are not"),
        ({"birth_date": datetime.datetime(1986, 1, 12, 8, 0)}, "birth_date must be a datetime.date"),
        ({"birth_date": datetime.date(1900, 1, 1)}, "must be between 1924-08-01 and today"),
        ({"account_active": 1}, "account_active must be true or false"),
        ({"unpaid_violations": 100}, "unpaid_violations must be a non-negative Decimal"),
        ({"unpaid_violations": Decimal("NaN")}, "unpaid_violations must be a non-negative Decimal"),
        ({"monthly_income": 12000}, "monthly_income must be None or a non-negative Decimal"),
        ({"monthly_income": Decimal("-0.01")}, "monthly_income must be None or a non-negative Decimal"),
        ({"monthly_income": Decimal("12000.005")}, "monthly_income must be None or a non-negative Decimal"),
        ({"monthly_income": Decimal("Infinity")}, "monthly_income must be None or a non-negative Decimal"),
        ({"first_name_en": "Rajesh "}, "first_name_en must be non-empty text"),
        ({"household": [DAUGHTER]}, "household must be a tuple of HouseholdMember"),
        ({"household": (DAUGHTER, DAUGHTER)}, "appears twice in the household"),
    ],
)
def test_an_impossible_record_cannot_be_built(fields: dict[str, Any], expected: str) -> None:
    with pytest.raises(ValueError, match="registry record") as caught:
        replace(RESIDENT, **fields)
    assert expected in str(caught.value)


def test_an_impossible_household_member_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="relation must be a Relation"):
        replace(DAUGHTER, relation="daughter")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="does not match"):
        replace(DAUGHTER, id_type=IdType.CITIZEN)
    with pytest.raises(ValueError, match="must be between 1924-08-01 and today"):
        replace(DAUGHTER, birth_date=datetime.date.today() + datetime.timedelta(days=1))
