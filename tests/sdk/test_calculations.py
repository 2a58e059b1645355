"""Explained calculations: the running total, parameters on each line, conditions, storage round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bawaba_sdk import Calculation, DeclarationError, Explainer, Explanation, ParameterSet, to_halala

PARAMETERS = ParameterSet.from_toml(
    """
[minimum.head]
label = "Minimum for the head"
unit = "SAR/month"
values = [
  { from = 2021-07-01, value = 1100, source = "Royal order, 2021" },
  { from = 2023-11-01, value = 1320, source = "Royal order announced 2023-10" },
]
[minimum.member]
label = "Minimum for each other member"
unit = "SAR/month"
values = [
  { from = 2021-07-01, value = 550, source = "Royal order, 2021" },
  { from = 2023-11-01, value = 660, source = "Royal order announced 2023-10" },
]
[maximum.household]
label = "Highest monthly amount"
unit = "SAR/month"
values = [{ from = 2021-07-01, value = 5000, source = "Programme rules" }]
[pension.rate]
label = "Pension per year of contribution"
unit = "percent"
values = [{ from = 2000-01-01, value = 2.5, source = "Social Insurance Law" }]
"""
)


def entitlement(on: date, members: int, income: Decimal, abroad_months: int = 0) -> Explanation:
    ex = Explainer("entitlement", on, PARAMETERS)
    ex.condition("abroad", "At most 3 months abroad", abroad_months <= 3, "months: %(months)s", months=abroad_months)
    ex.add("Minimum for the head", "minimum.head")
    ex.add("Minimum for each other member", "minimum.member", quantity=members - 1, count=members - 1)
    ex.subtract("Counted monthly income", income)
    ex.floor("Never below zero", Decimal(0))
    ex.cap("Highest monthly amount", "maximum.household")
    return ex.result("Monthly amount")


def test_worked_example_a_family_of_six_with_a_salary() -> None:
    explained = entitlement(date(2026, 12, 1), members=6, income=Decimal("1500"))

    assert explained.amount == Decimal("3120.00")
    assert explained.eligible
    head, others, income, floor, cap, result = explained.lines
    assert head.parameter is not None and head.parameter.effective_from == date(2023, 11, 1)
    assert (others.amount, others.quantity, others.parameter and others.parameter.value) == (
        Decimal("3300.00"),
        5,
        Decimal(660),
    )
    assert (income.operation, income.amount) == ("subtract", Decimal("1500.00"))
    assert floor.variables["applied"] == "no" and cap.variables["applied"] == "no"
    assert (result.operation, result.amount) == ("result", Decimal("3120.00"))


def test_worked_example_nine_people_are_capped() -> None:
    explained = entitlement(date(2026, 12, 1), members=9, income=Decimal("1000"))
    assert explained.amount == Decimal("5000.00")
    assert explained.lines[-2].operation == "cap" and explained.lines[-2].variables["applied"] == "yes"


def test_the_older_parameters_apply_to_an_older_day() -> None:
    assert entitlement(date(2022, 1, 1), members=1, income=Decimal(0)).amount == Decimal("1100.00")


def test_an_unmet_condition_makes_the_amount_zero_and_says_which() -> None:
    explained = entitlement(date(2026, 12, 1), members=2, income=Decimal(0), abroad_months=5)
    assert not explained.eligible and explained.amount == Decimal("0.00")
    assert [condition.key for condition in explained.unmet] == ["abroad"]
    assert explained.unmet[0].variables == {"months": 5}


def test_income_above_the_minimum_floors_at_zero() -> None:
    explained = entitlement(date(2026, 12, 1), members=1, income=Decimal(2000))
    assert explained.amount == Decimal("0.00")
    assert explained.lines[-3].variables["applied"] == "yes"


def test_multiply_uses_a_percent_parameter_as_a_fraction() -> None:
    ex = Explainer("pension", date(2026, 12, 1), PARAMETERS)
    amount = ex.multiply("2.5% of the average wage per year", Decimal("10000.00") * 25, "pension.rate")
    assert amount == Decimal("6250.00")
    assert ex.result("Pension").amount == Decimal("6250.00")


def test_the_explanation_survives_storage_as_json() -> None:
    import json

    explained = entitlement(date(2026, 12, 1), members=6, income=Decimal("1500"), abroad_months=1)
    stored = json.loads(json.dumps(explained.to_storage()))
    again = Explanation.from_storage(stored)

    assert again == explained


@pytest.mark.parametrize(
    ("raw", "rounded"), [("0.005", "0.01"), ("1.234", "1.23"), ("2.675", "2.68"), ("-0.005", "-0.01")]
)
def test_amounts_round_half_up_to_the_halala(raw: str, rounded: str) -> None:
    assert to_halala(Decimal(raw)) == Decimal(rounded)


def test_a_calculation_needs_a_slug_name() -> None:
    with pytest.raises(DeclarationError):
        Calculation(
            "Bad Name", "t", "s", object, lambda situation, parameters: entitlement(date.today(), 1, Decimal(0))
        )
