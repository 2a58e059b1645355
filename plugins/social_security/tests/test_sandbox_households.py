"""The sandbox households: at least twelve fictional households, each giving what its story says.

Each one is a unified profile of people of the sandbox registry; it is turned
into a situation and worked out by the same calculation the API serves, in a
portal built by the kit; ``gateway demo load`` reports them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from bawaba_sdk.testing.calculations import calculation_answer, explain
from bawaba_social_security.demo import load
from bawaba_social_security.household import sandbox_households, situation_from_profile

HOUSEHOLDS = sandbox_households()
REQUIRED = {
    "eligible_family",
    "independent_person",
    "income_above_minimum",
    "cap",
    "care_centre",
    "member_abroad",
    "non_saudi_widow",
    "refused_offers",
}


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="social_security")


def test_there_are_at_least_twelve_households_covering_the_issues_stories() -> None:
    keys = [household.key for household in HOUSEHOLDS]

    assert len(keys) >= 12 and len(set(keys)) == len(keys)
    assert set(keys) >= REQUIRED
    assert all(household.story["en"] and household.story["ar"] for household in HOUSEHOLDS)


def test_nobody_is_a_member_of_two_households() -> None:
    counts = Counter(person for household in HOUSEHOLDS for person in household.member_ids())

    assert [person for person, count in counts.items() if count > 1] == []


def test_every_household_gives_what_its_story_says_through_the_kit_and_the_api(portal: Any) -> None:
    for household in HOUSEHOLDS:
        explained = explain(portal, "social_security", "entitlement", household.situation())
        answer = calculation_answer(portal, "social_security", "entitlement", household.situation())
        expected = household.expected
        assert explained.amount == Decimal(expected["amount"]), household.key
        assert [condition.key for condition in explained.unmet] == expected["unmet"], household.key
        assert (answer["amount"], answer["eligible"]) == (expected["amount"], expected["eligible"]), household.key


def test_the_cap_household_is_the_issues_second_worked_example(portal: Any) -> None:
    cap = next(household for household in HOUSEHOLDS if household.key == "cap")
    situation = cap.situation()

    assert len(situation["members"]) == 9
    assert [(income["amount"], income["period"]) for income in situation["incomes"]] == [("1000.00", "month")]
    assert explain(portal, "social_security", "entitlement", situation).amount == Decimal("5000.00")


def test_a_member_abroad_too_long_is_left_out_and_said_so(portal: Any) -> None:
    household = next(household for household in HOUSEHOLDS if household.key == "member_abroad")
    explained = explain(portal, "social_security", "entitlement", household.situation())

    notes = [line for line in explained.lines if line.operation == "note"]
    assert any("abroad" in line.label for line in notes)
    assert explained.amount == Decimal("1440.00")


def test_income_of_someone_outside_the_household_is_not_counted() -> None:
    profile = {
        "personal": {"id_number": "1000000008", "birth_date": "1984-03-15"},
        "income": {"rows": [{"member": "1999999999", "kind": "salary", "amount": "9000.00", "period": "month"}]},
        "dependents": {"rows": [{"id_number": "1000000081", "relationship": "spouse", "lives_elsewhere": True}]},
    }
    situation = situation_from_profile(profile, "2026-12-01")

    assert situation["incomes"] == []
    assert [member["same_dwelling"] for member in situation["members"]] == [True, False]


def test_demo_load_checks_and_reports_every_household() -> None:
    lines = load()

    assert lines[0] == f"{len(HOUSEHOLDS)} sandbox households checked"
    assert "household cap: head 1070000094, 5000.00 SAR a month on 2026-12-01" in lines
    assert "household care_centre: head 1389115971, not eligible (care_centre) on 2026-12-01" in lines
