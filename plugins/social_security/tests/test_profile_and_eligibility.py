"""The unified profile through the host's record pages, and the household's eligibility page.

A sandbox household's profile is filled in section by section and confirmed
by its head (signed in by the kit); the eligibility page then shows the
amount its story says, worked out from the confirmed version, explained.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest

from bawaba_sdk.testing.forms import page_errors
from bawaba_sdk.testing.records import confirm_record, fill_record, post_section, section_errors
from bawaba_social_security.household import sandbox_households

SLUG, PROFILE = "social_security", "profile"
HOUSEHOLDS = {household.key: household for household in sandbox_households()}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=SLUG)


def sections_of(key: str) -> dict[str, Any]:
    """The household's profile as its head posts it (every section, in the record's order)."""
    profile = HOUSEHOLDS[key].profile
    order = ("personal", "housing", "income", "education", "employment", "licences", "property", "dependents")
    return {section: profile[section] for section in order}


@pytest.mark.parametrize("key", ["eligible_family", "cap", "non_saudi_widow", "care_centre"])
def test_a_confirmed_profile_gives_the_amount_of_its_story(app: Any, sign_in_as: Any, key: str) -> None:
    household = HOUSEHOLDS[key]
    client = sign_in_as(app, household.head)
    fill_record(client, SLUG, PROFILE, sections_of(key))

    page = text_of(client.get("/social_security/eligibility", headers={"Accept-Language": "en"}).get_data(as_text=True))

    assert "Worked out from version 1 of your unified profile" in page
    amount = household.expected["amount"]
    if household.expected["eligible"]:
        assert f"{int(float(amount)):,}.00 SAR" in page
        assert "Apply for support" in page
    else:
        assert "Not eligible on" in page and "Apply for support" not in page


def test_without_a_confirmed_profile_the_page_says_what_to_do(app: Any, sign_in_as: Any) -> None:
    client = sign_in_as(app, "1000000032")

    page = text_of(client.get("/social_security/eligibility", headers={"Accept-Language": "ar"}).get_data(as_text=True))

    assert "ليس لأسرتك ملف موحد مؤكد بعد" in page


def test_a_reported_change_counts_once_confirmed_and_says_the_new_amount_and_from_when(
    app: Any, sign_in_as: Any
) -> None:
    client = sign_in_as(app, "1000000032")
    fill_record(client, SLUG, PROFILE, sections_of("eligible_family"))
    more_income = {"rows": [*HOUSEHOLDS["eligible_family"].profile["income"]["rows"]]}
    more_income["rows"].append({"member": "1271521336", "kind": "pension", "amount": "2000.00", "period": "month"})
    fill_record(client, SLUG, PROFILE, {"income": more_income}, confirm=False)

    page = text_of(client.get("/social_security/eligibility", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "460.00 SAR" in page and "not confirmed yet" in page

    assert confirm_record(client, SLUG, PROFILE).status_code == 303
    page = text_of(client.get("/social_security/eligibility", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Worked out from version 2" in page and "Not eligible on" in page
    assert "changes the monthly amount from 460.00 SAR to 0.00 SAR, from 1 " in page  # the next month's first day


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_rented_home_needs_its_rent(app: Any, sign_in_as: Any, language: str) -> None:
    client = sign_in_as(app, "1000000032")

    errors = section_errors(client, SLUG, PROFILE, "housing", {"kind": "rented"}, language=language)

    assert errors == {
        "rent": {"ar": "أدخل الإيجار الشهري للمسكن المستأجر.", "en": "Enter the monthly rent of a rented home."}[
            language
        ]
    }


def test_the_head_is_not_their_own_dependent_and_incomes_name_household_members(app: Any, sign_in_as: Any) -> None:
    client = sign_in_as(app, "1000000032")
    own = {
        "rows": [
            {"id_number": "1000000032", "relationship": "child", "birth_date": "2010-08-15", "nationality": "saudi"}
        ]
    }
    assert "rows-0-id_number" in section_errors(client, SLUG, PROFILE, "dependents", own)

    fill_record(
        client, SLUG, PROFILE, {"dependents": HOUSEHOLDS["eligible_family"].profile["dependents"]}, confirm=False
    )
    stranger = {"rows": [{"member": "1000000008", "kind": "salary", "amount": "100.00", "period": "month"}]}
    assert "rows-0-member" in section_errors(client, SLUG, PROFILE, "income", stranger)


def test_nobody_is_a_member_of_two_households(app: Any, sign_in_as: Any) -> None:
    first = sign_in_as(app, "1000000032")
    fill_record(first, SLUG, PROFILE, sections_of("eligible_family"))
    second = sign_in_as(app, "1000000008")
    nasser = HOUSEHOLDS["eligible_family"].profile["dependents"]["rows"][1]

    response = post_section(second, SLUG, PROFILE, "dependents", {"rows": [nasser]})

    assert response.status_code == 400
    assert "1605860335 is already listed in another person" in " ".join(
        page_errors(response.get_data(as_text=True)).values()
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "refused_offers",
            "1070000177: registered on the jobs platform. Refused 3 suitable offers, more than allowed.",
        ),
        ("not_registered", "1744436062: not registered: register on the national jobs platform."),
        ("independent_person", "1000000057: registered on the jobs platform. Suitable offers refused: 0."),
    ],
)
def test_the_household_sees_its_job_seeking_obligations(app: Any, sign_in_as: Any, key: str, expected: str) -> None:
    client = sign_in_as(app, HOUSEHOLDS[key].head)
    fill_record(client, SLUG, PROFILE, sections_of(key))

    page = text_of(client.get("/social_security/eligibility", headers={"Accept-Language": "en"}).get_data(as_text=True))

    assert "Seeking work: what your household must do" in page
    assert "may refuse at most 2 suitable job or training offers" in page
    assert expected in re.sub(r" ([:.])", r"\1", page)


def test_a_household_without_anyone_bound_to_seek_work_sees_no_obligations(app: Any, sign_in_as: Any) -> None:
    client = sign_in_as(app, HOUSEHOLDS["care_centre"].head)
    fill_record(client, SLUG, PROFILE, sections_of("care_centre"))

    page = client.get("/social_security/eligibility", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Seeking work" not in page
