"""``POST /api/v1/programs/<slug>/calculations/<name>``: a declared calculation served, explained, in two languages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields
from openapi_spec_validator import validate

from gateway.calculations.schemas import CalculationAnswerSchema
from gateway.forms.messages import translated_schema
from gateway.plugin_manager import PluginStatus
from tests.api.api_flow import caller_for
from tests.sample_plugins.allowance import calculations
from tests.sample_plugins.allowance import plugin as allowance

Build = Callable[..., Flask]
URL = "/api/v1/programs/allowance/calculations/allowance"
FAMILY = {
    "on": "2026-12-01",
    "members": [
        {"relationship": "head"},
        {"relationship": "spouse"},
        {"relationship": "child"},
        {"relationship": "child"},
    ],
    "income": "500.00",
}


def post(app: Flask, body: Any, language: str = "en", url: str = URL, **headers: str) -> Any:
    return app.test_client().post(url, json=body, headers={"Accept-Language": language, **headers})


def line(answer: dict[str, Any], operation: str, index: int = 0) -> dict[str, Any]:
    return [item for item in answer["lines"] if item["operation"] == operation][index]


def test_anyone_gets_the_amount_with_every_line_its_parameter_date_and_source(allowance_app: Build) -> None:
    response = post(allowance_app(), FAMILY)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    answer = response.get_json()
    assert CalculationAnswerSchema().validate(answer) == {}
    assert (answer["program"], answer["calculation"], answer["on"]) == ("allowance", "allowance", "2026-12-01")
    assert (answer["eligible"], answer["amount"], answer["currency"]) == (True, "1100.00", "SAR")
    assert answer["amount_text"] == "1,100.00 SAR"
    household = line(answer, "add")
    assert household["label"] == "Allowance for the household"
    assert (household["amount"], household["parameter"], household["value"]) == ("1000.00", "allowance.base", "1000")
    assert household["value_text"] == "1,000.00 SAR a month"
    assert (household["effective_from"], household["effective_from_text"]) == ("2024-01-01", "1 January 2024")
    assert household["source"] == "Ministerial decision 2023/45"
    children = line(answer, "add", 1)
    assert children["label"] == "Allowance for 2 children"
    assert (children["amount"], children["quantity"], children["value"]) == ("600.00", "2", "300")
    income = line(answer, "subtract")
    assert income["label"] == "Monthly income of 500.00 counted in full"
    assert income["parameter"] is None and income["source"] is None
    assert line(answer, "cap")["applied"] is False and line(answer, "floor")["applied"] is False
    assert line(answer, "result")["amount"] == "1100.00"
    assert [condition["met"] for condition in answer["conditions"]] == [True]
    assert answer["unmet"] == []


def test_the_answer_reads_in_arabic_with_figures_formatted(allowance_app: Build) -> None:
    answer = post(allowance_app(), FAMILY, language="ar").get_json()

    assert line(answer, "add")["label"] == "بدل الأسرة الأساسي"
    assert line(answer, "add", 1)["label"] == "بدل 2 من الأطفال"
    assert line(answer, "add")["source"] == "القرار الوزاري 2023/45"
    assert "يناير 2024" in line(answer, "add")["effective_from_text"]
    assert "ر.س" in answer["amount_text"]
    assert answer["amount"] == "1100.00"  # the data stays data in every language


def test_the_cap_applies_and_says_so(allowance_app: Build) -> None:
    many = {**FAMILY, "members": [{"relationship": "head"}] + [{"relationship": "child"}] * 8, "income": "0"}
    answer = post(allowance_app(), many).get_json()
    assert answer["amount"] == "2500.00"
    assert line(answer, "cap")["applied"] is True
    assert line(answer, "cap")["value_text"] == "2,500.00 SAR a month"


def test_an_unmet_condition_gives_zero_and_says_why_with_the_figures(allowance_app: Build) -> None:
    answer = post(allowance_app(), {**FAMILY, "months_abroad": 5}).get_json()
    assert (answer["eligible"], answer["amount"]) == (False, "0.00")
    (unmet,) = answer["unmet"]
    assert unmet["key"] == "abroad" and unmet["met"] is False
    assert unmet["detail"] == "5 months abroad in the last 12; at most 3 are allowed."
    assert (unmet["parameter"], unmet["value_text"]) == ("abroad.max_months", "3 months")


def test_an_operators_override_is_used_and_named(allowance_app: Build) -> None:
    answer = post(allowance_app(ALLOWANCE_P_ALLOWANCE_BASE="1200"), FAMILY).get_json()
    household = line(answer, "add")
    assert (household["value"], household["set_by_operator"]) == ("1200", True)
    assert household["source"] == "Set by the portal's operator (GATEWAY_ALLOWANCE_P_ALLOWANCE_BASE)"
    assert answer["amount"] == "1300.00"


def test_a_bad_situation_gets_422_naming_each_bad_field_in_the_callers_language(allowance_app: Build) -> None:
    bad = {
        "on": "2026-02-30",
        "members": [{"relationship": "cousin"}, {"birth_date": "yesterday"}],
        "income": "-5",
        "months_abroad": 20,
        "pets": 2,
    }
    app = allowance_app()
    response = post(app, bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {
        "on",
        "members-0-relationship",
        "members-1-relationship",
        "members-1-birth_date",
        "income",
        "months_abroad",
        "pets",
    }
    assert errors["members-1-relationship"] == "Choose an option for “Relationship”."
    assert errors["months_abroad"] == "Enter a number from 0 to 12."
    arabic = post(app, bad, language="ar").get_json()["errors"]
    assert arabic["members-1-relationship"] == "اختر أحد الخيارات لـ«Relationship»."
    assert arabic["months_abroad"] != errors["months_abroad"]


@pytest.mark.parametrize("body", [None, [1, 2], "members"])
def test_a_body_that_is_not_an_object_is_a_400(allowance_app: Build, body: Any) -> None:
    app = allowance_app()
    client = app.test_client()
    response = (
        client.post(URL, data="not json", content_type="application/json")
        if body is None
        else client.post(URL, json=body)
    )
    assert response.status_code == 400
    assert "situation" in response.get_json()["errors"]


def test_a_day_before_the_rules_were_in_force_is_refused_on_its_field(allowance_app: Build) -> None:
    response = post(allowance_app(), {**FAMILY, "on": "2019-05-01"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"on": "The rules of this calculation were not yet in force on that day."}


def test_unknown_programs_and_calculations_are_404_and_a_failed_program_503(allowance_app: Build) -> None:
    app = allowance_app()
    assert post(app, FAMILY, url="/api/v1/programs/allowance/calculations/nothing").status_code == 404
    assert post(app, FAMILY, url="/api/v1/programs/nobody/calculations/allowance").status_code == 404
    assert post(app, FAMILY, url="/api/v1/programs/musaned/calculations/allowance").status_code == 404
    app.extensions["gateway"].plugins.fail("allowance", "broken on purpose")
    failed = post(app, FAMILY)
    assert failed.status_code == 503 and "error" in failed.get_json()


def test_a_calculation_that_raises_is_a_503_not_a_500(allowance_app: Build) -> None:
    calculations.RAISE_IN_COMPUTE.append(ZeroDivisionError("a plugin bug"))
    response = post(allowance_app(), FAMILY)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == 503


def test_the_calculation_adds_its_own_keys_without_replacing_the_hosts(allowance_app: Build) -> None:
    answer = post(allowance_app(), FAMILY).get_json()
    assert answer["per_year"] == str(Decimal("1100.00") * 12)
    assert answer["amount"] == "1100.00"


def test_calls_are_rate_limited_per_address(allowance_app: Build) -> None:
    app = allowance_app(RATE_LIMIT_CALCULATIONS="2/minute")
    client = app.test_client()
    assert [client.post(URL, json=FAMILY).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.post(URL, json=FAMILY, headers={"Accept-Language": "ar"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_a_private_calculation_needs_an_access_token(allowance_app: Build) -> None:
    app = allowance_app()
    url = "/api/v1/programs/allowance/calculations/private_estimate"
    anonymous = post(app, {"on": "2026-12-01"}, url=url)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    caller = caller_for(app)
    answered = caller.post(url, {"on": "2026-12-01"})
    assert answered.status_code == 200 and answered.get_json()["amount"] == "1000.00"


def test_a_plugin_declaring_something_else_is_disabled(allowance_app: Build) -> None:
    allowance.CALCULATIONS_ANSWER.append(["not a calculation"])
    manager = allowance_app().extensions["gateway"].plugins
    assert manager.records["allowance"].status is PluginStatus.FAILED
    assert "sdk.Calculation" in manager.records["allowance"].reason
    assert manager.records["musaned"].serving


def test_two_calculations_of_one_name_disable_the_plugin(allowance_app: Build) -> None:
    allowance.CALCULATIONS_ANSWER.append([calculations.CALCULATIONS[0], calculations.CALCULATIONS[0]])
    manager = allowance_app().extensions["gateway"].plugins
    assert "declared twice" in manager.records["allowance"].reason


def test_the_openapi_document_describes_each_calculation(allowance_app: Build) -> None:
    document = allowance_app().test_client().get("/api/openapi.json").get_json()
    validate(document)  # still valid OpenAPI 3.1 with the calculations in it

    public = document["paths"]["/programs/allowance/calculations/allowance"]["post"]
    assert public["security"] == []
    body = public["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/allowance.calculations.allowance"}
    assert body["example"]["members"][0] == {"relationship": "head"}
    assert public["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CalculationAnswer"
    }
    assert {"400", "422", "429", "503"} <= set(public["responses"])
    private = document["paths"]["/programs/allowance/calculations/private_estimate"]["post"]
    assert "security" not in private and "401" in private["responses"]
    situation = document["components"]["schemas"]["allowance.calculations.allowance"]
    assert situation["properties"]["members"]["items"]["$ref"].endswith("/Member")
    assert "CalculationAnswer" in document["components"]["schemas"]


def test_a_situation_field_without_a_label_is_named_by_its_key(allowance_app: Build) -> None:
    class Bare(Schema):
        year = fields.Integer(required=True)
        region = fields.String(required=True, data_key="regionCode")

    app = allowance_app()
    with app.test_request_context("/", headers={"Accept-Language": "en"}), pytest.raises(ValidationError) as refused:
        translated_schema(Bare()).load({})
    assert refused.value.messages == {
        "year": ["Enter a value for “year”."],
        "regionCode": ["Enter a value for “regionCode”."],
    }


def test_a_value_of_another_json_type_than_the_document_says_is_422_naming_it(allowance_app: Build) -> None:
    """marshmallow alone would read a number as an amount or a day; the API's document says strings, so 422."""
    app = allowance_app()
    mistyped = {**FAMILY, "income": 500, "members": [{"relationship": "head"}, {"relationship": 7}]}
    answer = post(app, mistyped)
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert errors["income"] == "Send this value as a string."
    assert "members.1.relationship" in errors
    arabic = post(app, {**FAMILY, "months_abroad": True}, language="ar")
    assert arabic.status_code == 422 and arabic.get_json()["errors"]["months_abroad"] == "أرسل عددًا صحيحًا."
