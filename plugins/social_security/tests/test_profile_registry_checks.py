"""A dependent's ID number is checked against the national registry: it exists and the birth date matches.

Through the host's record pages, as the head of household posts the
dependents section; a refused row is a 400 naming the row's ID field, in the
reader's language, and what was saved before stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import bawaba_sdk as sdk
from bawaba_sdk.testing.records import fill_record, post_section, section_errors
from bawaba_social_security.household import sandbox_households

SLUG, PROFILE = "social_security", "profile"
FAMILY = next(household for household in sandbox_households() if household.key == "eligible_family")
NASSER = FAMILY.profile["dependents"]["rows"][1]  # 1605860335, born 2010-08-15, in Fatimah's family register


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=SLUG)


def head(app: Any, sign_in_as: Any, language: str = "en") -> Any:
    client = sign_in_as(app, FAMILY.head)
    client.set_cookie("lang", language)
    return client


@pytest.mark.parametrize(
    "row",
    [
        {**NASSER, "id_number": "1999999996"},  # a well-formed number the registry does not know
        {**NASSER, "birth_date": "2011-08-15"},  # the registry's person, another birth date
    ],
)
def test_a_dependent_the_registry_does_not_confirm_is_refused(app: Any, sign_in_as: Any, row: Any) -> None:
    errors = section_errors(head(app, sign_in_as), SLUG, PROFILE, "dependents", {"rows": [row]})
    assert errors == {
        "rows-0-id_number": "The national registry has no one with this ID number and date of birth. Check both."
    }


def test_the_refusal_is_in_arabic_and_keeps_what_was_saved(app: Any, sign_in_as: Any) -> None:
    client = head(app, sign_in_as, "ar")
    fill_record(client, SLUG, PROFILE, {"dependents": FAMILY.profile["dependents"]}, confirm=False)
    response = post_section(client, SLUG, PROFILE, "dependents", {"rows": [{**NASSER, "birth_date": "2011-08-15"}]})
    assert response.status_code == 400
    assert "لا يوجد في السجل الوطني" in response.get_data(as_text=True)
    with app.test_request_context():
        owner = sdk.record_holder(SLUG, PROFILE, FAMILY.head)
        state = sdk.current_record(SLUG, PROFILE, owner_id=owner) if owner is not None else None
    assert owner is None  # nothing confirmed yet
    page = client.get("/records/social_security/profile/dependents").get_data(as_text=True)
    assert NASSER["id_number"] in page and state is None


def test_the_registry_s_dependents_are_accepted(app: Any, sign_in_as: Any) -> None:
    response = post_section(head(app, sign_in_as), SLUG, PROFILE, "dependents", FAMILY.profile["dependents"])
    assert response.status_code == 303
