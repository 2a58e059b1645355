"""The entitlement as the host serves it: ``POST /api/v1/programs/social_security/calculations/entitlement``.

Anonymous (a what-if household holds no personal data), rate limited, in the
OpenAPI document, answering in the caller's language with every line's rule,
value, day and source, and refusing a bad situation with 422 naming each bad
field. The portal is built by the SDK's test kit with the plugin loaded from
its entry point, as a third party's would be.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bawaba_sdk.testing.calculations import calculation_answer, explain

DOMAIN = "social_security"
NAME = "entitlement"
URL = f"/api/v1/programs/{DOMAIN}/calculations/{NAME}"
CASES = tomllib.loads((Path(__file__).with_name("situations.toml")).read_text(encoding="utf-8"))
WORKED = {case["name"]: case for case in CASES["case"]}
FAMILY_OF_SIX = WORKED["worked example 1: a head, two adult members and three children, salary 1,500 a month"]
CAPPED = WORKED["worked example 2: a head and eight members, income 1,000 a month, capped at 5,000"]


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=DOMAIN)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_family_of_six_gets_3120_with_every_line_explained(app: Any, language: str) -> None:
    answer = calculation_answer(app, DOMAIN, NAME, FAMILY_OF_SIX["body"], language=language)

    assert (answer["eligible"], answer["amount"], answer["currency"]) == (True, "3120.00", "SAR")
    assert answer["unmet"] == []
    ruled = [line for line in answer["lines"] if line.get("parameter")]
    assert [line["parameter"] for line in ruled][:2] == ["minimum.head", "minimum.member"]
    head, members = ruled[0], ruled[1]
    assert head["effective_from"] == members["effective_from"] == "2023-11-01"
    assert head["source"] and members["source"]
    assert all(line["label"] for line in answer["lines"])


def test_the_answer_is_in_the_callers_language(app: Any) -> None:
    english = calculation_answer(app, DOMAIN, NAME, FAMILY_OF_SIX["body"], language="en")
    arabic = calculation_answer(app, DOMAIN, NAME, FAMILY_OF_SIX["body"], language="ar")

    assert "Calculated minimum for the head of household" in english["lines"][0]["label"]
    assert "الحد الأدنى المحتسب" in arabic["lines"][0]["label"]
    assert english["lines"][0]["source"] != arabic["lines"][0]["source"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_household_of_nine_is_capped_at_5000(app: Any, language: str) -> None:
    answer = calculation_answer(app, DOMAIN, NAME, CAPPED["body"], language=language)

    assert (answer["eligible"], answer["amount"]) == (True, "5000.00")
    cap = next(line for line in answer["lines"] if line.get("parameter") == "maximum.household")
    assert cap["value"] and cap["effective_from"] == "2021-07-01"


def test_the_kit_and_the_api_agree_on_every_situation_of_the_file(app: Any) -> None:
    for case in CASES["case"]:
        answer = calculation_answer(app, DOMAIN, NAME, case["body"])
        explained = explain(app, DOMAIN, NAME, case["body"])
        assert (answer["amount"], answer["eligible"]) == (case["amount"], case["eligible"]), case["name"]
        assert explained.amount == Decimal(case["amount"]), case["name"]


def test_income_above_the_minimum_says_why_with_the_figures(app: Any) -> None:
    case = WORKED["income above the minimum: zero, not eligible, with the figures"]
    answer = calculation_answer(app, DOMAIN, NAME, case["body"], language="en")

    assert (answer["eligible"], answer["amount"]) == (False, "0.00")
    assert [condition["key"] for condition in answer["unmet"]] == ["need"]
    assert "2,500" in str(answer["unmet"][0]) and "1,980" in str(answer["unmet"][0])


@pytest.mark.parametrize("case", CASES["bad"], ids=[case["name"] for case in CASES["bad"]])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_bad_situation_gets_422_naming_each_bad_field(app: Any, case: dict[str, Any], language: str) -> None:
    answer = calculation_answer(app, DOMAIN, NAME, case["body"], language=language, status=422)

    named = set(answer["errors"])  # the host names a nested field with dashes: members-1-birth_date
    for field in case["fields"]:
        key = field.replace(".", "-")
        assert any(name == key or name.startswith(f"{key}-") for name in named), (field, named)
    assert all(message.strip() for message in answer["errors"].values())


def test_a_bad_situation_is_refused_in_arabic_by_default(app: Any) -> None:
    response = app.test_client().post(URL, json={"on": "2026-12-01", "members": []})

    assert response.status_code == 422
    assert any("\u0600" <= char <= "\u06ff" for char in str(response.get_json()["errors"]))


def test_a_body_that_is_not_a_situation_gets_400(app: Any) -> None:
    response = app.test_client().post(URL, data="[1, 2]", content_type="application/json")

    assert response.status_code == 400


def test_anonymous_callers_are_rate_limited(make_portal: Callable[..., Any]) -> None:
    client = make_portal(plugins=DOMAIN, RATE_LIMIT_CALCULATIONS="2/minute").test_client()

    codes = [client.post(URL, json=FAMILY_OF_SIX["body"]).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_the_openapi_document_describes_the_entitlement(app: Any) -> None:
    document = app.test_client().get("/api/openapi.json").get_json()

    operation = document["paths"][f"/programs/{DOMAIN}/calculations/{NAME}"]["post"]
    assert operation["security"] == []
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert example["incomes"] == [{"kind": "salary", "amount": "1500.00", "period": "month"}]
    assert {"200", "422", "429"} <= set(operation["responses"])
