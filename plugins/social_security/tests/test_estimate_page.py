"""The public estimate page: a what-if household, no account, answered with every condition and line.

The page is a GET form (nothing is stored); the tests fill it in as a
browser would submit it and read what a visitor reads: the amount, each
condition met or not, each line with its rule's value, day and source, and
each mistake next to its field in the visitor's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest

from bawaba_sdk.testing.pages import fetch

URL = "/social_security/estimate"
FAMILY_OF_SIX = {
    "estimate": "1",
    "on": "2026-12-01",
    "members": "6",
    "incomes": "1",
    "m-0-relationship": "head",
    "m-0-birth_date": "1980-05-01",
    "m-1-relationship": "spouse",
    "m-2-relationship": "child",
    "m-2-birth_date": "2004-09-20",
    "m-3-relationship": "child",
    "m-4-relationship": "child",
    "m-5-relationship": "child",
    "i-0-member": "0",
    "i-0-kind": "salary",
    "i-0-amount": "1500",
    "i-0-period": "month",
}


@pytest.fixture
def client(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="social_security").test_client()


def text_of(html: str) -> str:
    """The page's text as read: tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def get(client: Any, params: dict[str, str], language: str = "en") -> Any:
    return client.get(URL, query_string=params, headers={"Accept-Language": language})


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_empty_form_starts_with_a_head_and_a_spouse_and_needs_no_account(client: Any, language: str) -> None:
    html = fetch(client, URL, language)

    assert f'<html lang="{language}"' in html
    assert 'name="m-0-relationship"' in html and 'name="m-1-relationship"' in html
    assert 'name="m-2-relationship"' not in html
    assert '<option value="head" selected>' in html and '<option value="spouse" selected>' in html
    assert {"ar": "تقدير الدعم", "en": "Estimate your support"}[language] in html


def test_the_family_of_six_is_shown_3120_with_every_line_its_rule_day_and_source(client: Any) -> None:
    response = get(client, FAMILY_OF_SIX)
    page = text_of(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "Monthly amount on 1 December 2026: 3,120.00 SAR" in page
    assert "Calculated minimum for the other members (5) (660.00 SAR a month × 5) plus 3,300.00 SAR" in page
    assert "Met: The household's counted income is below its calculated minimum" in page
    assert "in force since" in page and "1 November 2023" in page
    assert "Royal order raising the calculated minimum" in page
    assert "minus 1,500.00 SAR" in page


def test_the_estimate_is_in_arabic_by_default(client: Any) -> None:
    page = text_of(get(client, FAMILY_OF_SIX, "ar").get_data(as_text=True))

    assert "3,120.00" in page
    assert "الحد الأدنى المحتسب" in page
    assert "Monthly amount" not in page


def test_nine_members_are_capped_at_5000(client: Any) -> None:
    params = {"estimate": "1", "on": "2026-12-01", "members": "9", "incomes": "1", "m-0-relationship": "head"}
    params |= {f"m-{index}-relationship": "child" for index in range(1, 9)}
    params |= {"i-0-member": "0", "i-0-kind": "pension", "i-0-amount": "1000", "i-0-period": "month"}
    page = text_of(get(client, params).get_data(as_text=True))

    assert "5,000.00" in page
    assert "applied" in page


def test_income_above_the_minimum_says_not_eligible_and_why_with_the_figures(client: Any) -> None:
    params = {"estimate": "1", "on": "2026-12-01", "members": "2", "incomes": "1"}
    params |= {"m-0-relationship": "head", "m-1-relationship": "spouse"}
    params |= {"i-0-member": "1", "i-0-kind": "salary", "i-0-amount": "2500", "i-0-period": "month"}
    page = text_of(get(client, params).get_data(as_text=True))

    assert "Not eligible on 1 December 2026" in page
    assert "Not met: The household's counted income is below its calculated minimum" in page
    assert "2,500.00" in page and "1,980.00" in page


def test_a_care_centre_and_a_member_abroad_too_long_are_explained(client: Any) -> None:
    params = {"estimate": "1", "on": "2026-12-01", "members": "2", "incomes": "1", "housing": "care_centre"}
    params |= {"m-0-relationship": "head", "m-0-months_abroad": "5", "m-1-relationship": "spouse"}
    page = text_of(get(client, params).get_data(as_text=True))

    assert "Not met: The household does not live in a state care centre" in page
    assert "Not met: The head of household spent at most 3 months abroad in the last 12" in page


def test_a_non_saudi_wife_of_a_saudi_with_saudi_children_counts(client: Any) -> None:
    params = {"estimate": "1", "on": "2026-12-01", "members": "3", "incomes": "1"}
    params |= {"m-0-relationship": "head", "m-0-nationality": "non_saudi"}
    params |= {"m-0-qualifies_through": "saudi_husband_with_saudi_children", "m-1-relationship": "child"}
    params |= {"m-2-relationship": "child"}
    page = text_of(get(client, params).get_data(as_text=True))

    assert "Met: The head of household is Saudi or qualifies as the rules allow" in page
    assert "2,640.00" in page


def test_the_main_home_and_one_car_are_not_counted_as_wealth_but_a_second_car_is(client: Any) -> None:
    params = {"estimate": "1", "on": "2026-12-01", "members": "1", "incomes": "1", "wealth": "2"}
    params |= {"m-0-relationship": "head"}
    params |= {"w-0-kind": "real_estate", "w-0-value": "900000", "w-0-main_home": "y"}
    params |= {"w-1-kind": "vehicle", "w-1-value": "80000"}
    page = text_of(get(client, params).get_data(as_text=True))
    assert "Met: The household's counted wealth is at most" in page
    assert "Monthly amount on 1 December 2026: 1,320.00 SAR" in page

    params |= {"wealth": "3", "w-2-kind": "vehicle", "w-2-value": "30000"}
    page = text_of(get(client, params).get_data(as_text=True))
    assert "Not met: The household's counted wealth is at most" in page
    assert "Counted wealth: 30,000.00" in page


@pytest.mark.parametrize("button", ["member", "income", "property"])
def test_each_add_button_adds_one_empty_row_and_keeps_what_was_typed(client: Any, button: str) -> None:
    params = {k: v for k, v in FAMILY_OF_SIX.items() if k != "estimate"} | {"add": button}
    html = get(client, params).get_data(as_text=True)

    new_row = {"member": 'name="m-6-relationship"', "income": 'name="i-1-amount"', "property": 'name="w-0-value"'}
    assert new_row[button] in html
    assert 'id="i-0-amount" name="i-0-amount" type="text" value="1500"' in html
    assert "3,120.00" not in html  # adding a row is not asking for the estimate


@pytest.mark.parametrize("language", ["ar", "en"])
def test_mistakes_are_shown_next_to_their_fields_with_a_422(client: Any, language: str) -> None:
    params = FAMILY_OF_SIX | {"m-3-birth_date": "31/02/2010", "i-0-amount": "-5", "m-1-months_abroad": "many"}
    response = get(client, params, language)
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    for input_id in ("m-3-birth_date", "i-0-amount", "m-1-months_abroad"):
        assert f'href="#{input_id}"' in html, input_id
        assert f'id="{input_id}-error"' in html and f'aria-describedby="{input_id}-error"' in html.replace(
            f'aria-describedby="{input_id}-hint {input_id}-error"', f'aria-describedby="{input_id}-error"'
        )
    assert 'value="31/02/2010"' in html and 'value="many"' in html  # what was typed is kept
    assert ("أدخل عددًا صحيحًا" if language == "ar" else "Enter a whole number") in html


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_birth_date_in_the_future_is_refused_in_the_visitors_language(client: Any, language: str) -> None:
    response = get(client, FAMILY_OF_SIX | {"m-2-birth_date": "2999-01-01"}, language)
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert 'href="#m-2-birth_date"' in html
    expected = {"ar": "لا يمكن أن يكون تاريخ الميلاد في المستقبل.", "en": "A date of birth cannot be in the future."}
    assert expected[language] in html


def test_a_household_without_a_head_is_refused_at_the_members_group(client: Any) -> None:
    params = FAMILY_OF_SIX | {"m-0-relationship": "spouse"}
    response = get(client, params)
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert 'href="#members"' in html and "Exactly one member must be the head of household." in html


def test_rows_left_blank_are_left_out_and_garbage_counts_are_harmless(client: Any) -> None:
    params = FAMILY_OF_SIX | {"members": "7", "incomes": "2", "wealth": "x", "m-6-relationship": ""}
    response = get(client, params)

    assert response.status_code == 200
    assert "3,120.00" in response.get_data(as_text=True)
