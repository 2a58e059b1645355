"""Applying for support through the pages: from the confirmed profile, with the documents it needs,
through review, a home visit and a decision in the back office.

The citizen is signed in by the kit, fills the profile through the record's
pages, walks the application's form and sends it; staff (signed in by the
kit) move it through its states. The application keeps the profile version
it was made from, and flags what the reviewer must look at.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest

from bawaba_sdk.testing.applications import application, move_as_staff
from bawaba_sdk.testing.forms import FormWalk
from bawaba_sdk.testing.records import fill_record
from bawaba_social_security.household import sandbox_households

SLUG, PROFILE, SERVICE = "social_security", "profile", "apply"
HOUSEHOLDS = {household.key: household for household in sandbox_households()}
ORDER = ("personal", "housing", "income", "education", "employment", "licences", "property", "dependents")
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str) -> tuple[BytesIO, str]:
    return BytesIO(MINIMAL_PDF), name


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=SLUG)


def citizen_with_profile(app: Any, sign_in_as: Any, key: str) -> Any:
    household = HOUSEHOLDS[key]
    client = sign_in_as(app, household.head)
    fill_record(client, SLUG, PROFILE, {section: household.profile[section] for section in ORDER})
    return client


def apply_for_fatimah(app: Any, sign_in_as: Any) -> tuple[Any, str]:
    client = citizen_with_profile(app, sign_in_as, "eligible_family")
    walk = FormWalk(client, SLUG, SERVICE, language="en")
    walk.start()
    walk.fill("declaration", {"accurate": "y"})
    walk.fill("documents", {"rent_contract": pdf("rent.pdf"), "disability_report": pdf("report.pdf")})
    return client, walk.submit()


def test_without_a_confirmed_profile_applying_says_what_to_do(app: Any, sign_in_as: Any) -> None:
    client = sign_in_as(app, "1000000032")

    response = client.get("/apply/social_security/apply/", headers={"Accept-Language": "en"}, follow_redirects=True)

    assert response.status_code == 403
    assert "Fill in your unified profile" in response.get_data(as_text=True)


def test_the_documents_the_situation_needs_are_asked_for(app: Any, sign_in_as: Any) -> None:
    client = citizen_with_profile(app, sign_in_as, "eligible_family")
    walk = FormWalk(client, SLUG, SERVICE, language="en")
    walk.start()
    walk.fill("declaration", {"accurate": "y"})

    errors = walk.errors("documents", {})

    assert errors == {
        "rent_contract": "Your profile says you rent your home: upload the rent contract.",
        "disability_report": "A member of your household has a disability: upload the medical report.",
    }


def test_an_owned_home_without_disability_needs_no_document(app: Any, sign_in_as: Any) -> None:
    client = citizen_with_profile(app, sign_in_as, "cap")
    walk = FormWalk(client, SLUG, SERVICE, language="en")
    walk.start()
    walk.fill("declaration", {"accurate": "y"})
    walk.fill("documents", {})

    assert walk.submit().startswith("DSS-")


def test_the_application_freezes_the_profile_version_and_its_amount(app: Any, sign_in_as: Any) -> None:
    _client, reference = apply_for_fatimah(app, sign_in_as)

    applied = application(app, reference)

    assert applied.state == "submitted"
    assert applied.extra["profile_version"] == 1
    assert applied.extra["amount_on_applying"] == "460.00"
    assert "registry_income" not in applied.extra  # Fatimah's wage record is her declared 3,500


def test_review_home_visit_and_approval_in_the_back_office(app: Any, sign_in_as: Any, sign_in_staff: Any) -> None:
    _client, reference = apply_for_fatimah(app, sign_in_as)
    reviewer = sign_in_staff(app, SLUG, "reviewer")

    move_as_staff(reviewer, reference, "in_review")
    move_as_staff(reviewer, reference, "home_visit_scheduled", status=400)  # the visit's day must be given
    move_as_staff(reviewer, reference, "home_visit_scheduled", comment="Visit on Sunday 13 December, 10:00.")
    move_as_staff(reviewer, reference, "approved", status=409)  # not before the visit
    findings = "Five people live in the rented flat, as the profile says."
    move_as_staff(reviewer, reference, "home_visit_done", comment=findings, status=403)  # a field officer's move
    field_officer = sign_in_staff(app, SLUG, "field_officer")
    move_as_staff(field_officer, reference, "home_visit_done", comment=findings)
    move_as_staff(field_officer, reference, "approved", status=403)  # the reviewer decides
    move_as_staff(reviewer, reference, "approved")

    approved = application(app, reference)
    assert approved.state == "approved"
    assert "profile_changed" not in approved.extra
    page = reviewer.get(f"/backoffice/{SLUG}/applications/{reference}", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Five people live in the rented flat" in text and "Unified profile version applied with" in text


def test_a_profile_changed_after_applying_is_flagged_and_the_application_keeps_its_version(
    app: Any, sign_in_as: Any, sign_in_staff: Any
) -> None:
    client, reference = apply_for_fatimah(app, sign_in_as)
    income = HOUSEHOLDS["eligible_family"].profile["income"]
    fill_record(client, SLUG, PROFILE, {"income": {"rows": [{**income["rows"][0], "amount": "3000.00"}]}})
    reviewer = sign_in_staff(app, SLUG, "reviewer")

    move_as_staff(reviewer, reference, "in_review")

    moved = application(app, reference)
    assert moved.extra["profile_version"] == 1 and moved.extra["amount_on_applying"] == "460.00"
    assert moved.extra["profile_changed"] == 2


def test_a_registry_income_mismatch_is_flagged_for_the_reviewer(app: Any, sign_in_as: Any) -> None:
    client = citizen_with_profile(app, sign_in_as, "not_registered")  # the registry still shows Talal's 5,250
    walk = FormWalk(client, SLUG, SERVICE, language="en")
    walk.start()
    walk.fill("declaration", {"accurate": "y"})
    walk.fill("documents", {"rent_contract": pdf("rent.pdf")})

    applied = application(app, walk.submit())

    assert applied.extra["registry_income"] == "5250.00 ≠ 0.00"


def test_the_declaration_must_be_ticked(app: Any, sign_in_as: Any) -> None:
    client = citizen_with_profile(app, sign_in_as, "cap")
    walk = FormWalk(client, SLUG, SERVICE, language="ar")
    walk.start()

    errors = walk.errors("declaration", {})

    assert list(errors) == ["accurate"] and errors["accurate"]
