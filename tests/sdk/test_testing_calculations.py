"""The test kit's calculation helpers, used as a plugin author would (with ``make_portal``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from marshmallow import ValidationError

from bawaba_sdk.testing.calculations import calculation_answer, explain
from tests.sample_plugins import ALLOWANCE, entry_points

SITUATION = {"on": "2026-12-01", "members": [{"relationship": "head"}, {"relationship": "child"}], "income": "100.00"}


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(
        plugins="allowance", PLUGIN_ENTRY_POINTS=entry_points(allowance=ALLOWANCE), ALLOWANCE_P_ALLOWANCE_CAP="1100"
    )


def test_explain_works_the_figure_out_with_the_portals_parameters(portal: Any) -> None:
    explained = explain(portal, "allowance", "allowance", SITUATION)
    assert explained.amount == Decimal("1100.00")  # 1,000 + 300 - 100, capped at the operator's 1,100
    assert explained.lines[-2].parameter is not None and explained.lines[-2].parameter.overridden_by


def test_explain_raises_the_schemas_refusal_by_field(portal: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        explain(portal, "allowance", "allowance", {"members": []})
    assert "members" in refused.value.messages
    with pytest.raises(LookupError, match="no calculation 'pension'"):
        explain(portal, "allowance", "pension", SITUATION)


def test_calculation_answer_is_the_apis_json_in_a_language(portal: Any) -> None:
    answer = calculation_answer(portal, "allowance", "allowance", SITUATION, language="ar")
    assert answer["amount"] == "1100.00" and "ر.س" in answer["amount_text"]
    refused = calculation_answer(portal, "allowance", "allowance", {"members": "x"}, status=422)
    assert "members" in refused["errors"]
