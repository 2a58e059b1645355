"""Situation tests as data: every household in ``situations.toml`` and the amount the rules give it.

Each case is a request body of the calculation API; the test loads it through
the situation schema (as the API does) and works the entitlement out with the
parameters as published. The bad situations must be refused naming exactly
the fields the file lists.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from marshmallow import ValidationError

from bawaba_social_security.entitlement import entitlement
from bawaba_social_security.rules import published_parameters
from bawaba_social_security.situation import load_situation

CASES = tomllib.loads((Path(__file__).with_name("situations.toml")).read_text(encoding="utf-8"))


def error_paths(errors: Mapping[Any, Any], prefix: str = "") -> Iterator[str]:
    """Dotted paths of the fields a marshmallow error dict names (list-level messages name the list)."""
    for key, value in errors.items():
        path = prefix[:-1] if key == "_schema" else f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from error_paths(value, f"{path}.")
        else:
            yield path


@pytest.mark.parametrize("case", CASES["case"], ids=[case["name"] for case in CASES["case"]])
def test_a_household_gets_the_amount_the_rules_give(case: dict[str, Any]) -> None:
    explained = entitlement(load_situation(case["body"]), published_parameters())

    assert (explained.amount, explained.eligible) == (Decimal(case["amount"]), case["eligible"])
    assert [condition.key for condition in explained.unmet] == case.get("unmet", [])
    assert explained.lines[-1].operation == "result" and explained.lines[-1].amount == explained.amount


@pytest.mark.parametrize("case", CASES["bad"], ids=[case["name"] for case in CASES["bad"]])
def test_a_bad_situation_is_refused_naming_each_bad_field(case: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        load_situation(case["body"])

    assert sorted(set(error_paths(refused.value.messages_dict))) == sorted(case["fields"])


def test_every_line_that_uses_a_rule_names_its_value_date_and_source() -> None:
    worked = CASES["case"][0]
    explained = entitlement(load_situation(worked["body"]), published_parameters())

    used = [line.parameter for line in explained.lines if line.parameter is not None]
    assert [value.key for value in used] == ["minimum.head", "minimum.member", "maximum.household"]
    assert all(value.source and value.effective_from.isoformat() == "2023-11-01" for value in used[:2])
    assert all(value.url.startswith("https://") for value in used)
