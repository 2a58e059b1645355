"""GOSI's calculations: situations as data, and the API serving them in both languages.

Every case in ``situations.toml`` runs through the calculation with the
parameters as published (the same function the API and the pages call); the
issue's worked examples also go through ``POST /api/v1/programs/gosi/calculations/<name>``
in a portal built by the SDK's kit, in Arabic and English, and every bad
field is named in a 422.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from marshmallow import ValidationError

from bawaba_gosi.calculations import CALCULATIONS
from bawaba_gosi.rules import published_parameters
from bawaba_sdk.testing.calculations import calculation_answer

CASES = tomllib.loads(Path(__file__).with_name("situations.toml").read_text(encoding="utf-8"))
BY_NAME = {calculation.name: calculation for calculation in CALCULATIONS}


def _ids(kind: str) -> list[str]:
    return [case["name"] for case in CASES[kind]]


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="gosi")


@pytest.mark.parametrize("case", CASES["pension"], ids=_ids("pension"))
def test_a_pension_is_what_the_rules_give(case: dict[str, Any]) -> None:
    explained = BY_NAME["pension"].explain(case["body"], published_parameters())

    assert (explained.amount, explained.eligible) == (Decimal(case["amount"]), case["eligible"])
    assert [condition.key for condition in explained.unmet] == case.get("unmet", [])
    assert explained.lines[-1].operation == "result" and explained.lines[-1].amount == explained.amount


@pytest.mark.parametrize("case", CASES["saned"], ids=_ids("saned"))
def test_saned_is_what_the_rules_give_month_by_month(case: dict[str, Any]) -> None:
    explained = BY_NAME["saned"].explain(case["body"], published_parameters())

    assert (explained.amount, explained.eligible) == (Decimal(case["amount"]), case["eligible"])
    assert [condition.key for condition in explained.unmet] == case.get("unmet", [])
    months = [row["amount"] for row in explained.breakdown]
    assert months == [case["first"]] * 3 + [case["later"]] * 9


@pytest.mark.parametrize("case", CASES["contributions"], ids=_ids("contributions"))
def test_contributions_are_the_rates_in_force_on_the_wage(case: dict[str, Any]) -> None:
    explained = BY_NAME["contributions"].explain(case["body"], published_parameters())

    assert explained.amount == Decimal(case["amount"])


@pytest.mark.parametrize("case", CASES["bad"], ids=_ids("bad"))
def test_a_bad_situation_is_refused_naming_each_bad_field(case: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        BY_NAME[case["calculation"]].load(case["body"])

    assert sorted(refused.value.messages_dict) == sorted(case["fields"])


def test_the_pension_explains_each_figure_with_its_rule() -> None:
    explained = BY_NAME["pension"].explain(CASES["pension"][0]["body"], published_parameters())

    used = {line.parameter.key: line.parameter for line in explained.lines if line.parameter is not None}
    assert {"pension.old.average_months", "pension.old.accrual", "pension.maximum_share", "pension.minimum"} <= set(
        used
    )
    assert used["pension.old.accrual"].value == Decimal("2.5")
    assert all(value.source and value.url.startswith("https://") for value in used.values())
    added = [line for line in explained.lines if line.operation == "add"]
    assert [line.amount for line in added] == [Decimal("6250.00")]


# -- the API ---------------------------------------------------------------------------------

PENSION = {"on": "2026-12-01", "regime": "old", "contribution_months": 300, "average_monthly_wage": "10000.00"}
SANED = {"average_monthly_wage": "8000.00"}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_api_answers_the_pension_worked_example(portal: Any, language: str) -> None:
    answer = calculation_answer(portal, "gosi", "pension", PENSION, language=language)

    assert (answer["amount"], answer["currency"], answer["eligible"]) == ("6250.00", "SAR", True)
    labels = [line["label"] for line in answer["lines"]]
    if language == "en":
        assert "2.5% of 10,000.00 for each of 25.00 years" in labels
        assert labels[-1] == "Monthly pension"
    else:
        assert labels[-1] == "المعاش الشهري"
        assert all(not any("a" <= ch <= "z" for ch in label) for label in labels)
    accrual = next(line for line in answer["lines"] if line["parameter"] == "pension.old.accrual")
    assert (accrual["value"], accrual["effective_from"]) == ("2.5", "2000-11-29")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_api_answers_saned_month_by_month(portal: Any, language: str) -> None:
    answer = calculation_answer(portal, "gosi", "saned", SANED, language=language)

    assert answer["months"] == [{"month": m, "amount": "4800.00" if m <= 3 else "4000.00"} for m in range(1, 13)]
    assert answer["total"] == answer["amount"] == "50400.00"
    assert [line["amount"] for line in answer["lines"] if line["operation"] == "add"] == ["14400.00", "36000.00"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Enter a number from 0 to 720."), ("ar", None)],
)
def test_the_api_names_each_bad_field_in_the_callers_language(portal: Any, language: str, message: Any) -> None:
    bad = {"regime": "middle", "contribution_months": 9999, "average_monthly_wage": "ten"}
    errors = calculation_answer(portal, "gosi", "pension", bad, language=language, status=422)["errors"]

    assert set(errors) == {"regime", "contribution_months", "average_monthly_wage"}
    if message:
        assert errors["contribution_months"] == message
    else:
        assert all(not any("a" <= ch <= "z" for ch in text) for text in errors.values())


def test_a_new_regime_pension_before_the_new_law_is_refused_on_the_day(portal: Any) -> None:
    body = {**PENSION, "regime": "new", "on": "2020-01-01"}
    errors = calculation_answer(portal, "gosi", "pension", body, status=422)["errors"]

    assert list(errors) == ["on"]


def test_the_calculations_are_in_the_openapi_document(portal: Any) -> None:
    document = portal.test_client().get("/api/openapi.json").get_json()

    for name in ("pension", "saned", "contributions"):
        operation = document["paths"][f"/programs/gosi/calculations/{name}"]["post"]
        assert operation["security"] == []  # anonymous
        assert {"422", "429"} <= set(operation["responses"])


def test_every_rule_is_published_on_the_rules_page(portal: Any) -> None:
    page = portal.test_client().get("/programs/gosi/rules", headers={"Accept-Language": "en"})

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Lowest monthly pension" in text and "1,983.75" in text
