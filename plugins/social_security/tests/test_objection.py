"""Objecting to a decision: within the configured days, naming one's own decided application, staff decide."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest

from bawaba_sdk.testing.applications import application, move_as_staff
from bawaba_sdk.testing.forms import FormWalk
from bawaba_sdk.testing.records import fill_record
from bawaba_social_security.household import sandbox_households

SLUG = "social_security"
CAP = next(household for household in sandbox_households() if household.key == "cap")
ORDER = ("personal", "housing", "income", "education", "employment", "licences", "property", "dependents")


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=SLUG, SOCIAL_SECURITY_OBJECTION_DAYS="10")


def rejected_application(app: Any, sign_in_as: Any, sign_in_staff: Any) -> tuple[Any, str, Any]:
    client = sign_in_as(app, CAP.head)
    fill_record(client, SLUG, "profile", {section: CAP.profile[section] for section in ORDER})
    walk = FormWalk(client, SLUG, "apply", language="en")
    walk.start()
    walk.fill("declaration", {"accurate": "y"})
    walk.fill("documents", {})
    reference = walk.submit()
    reviewer = sign_in_staff(app, SLUG, "reviewer")
    move_as_staff(reviewer, reference, "in_review")
    move_as_staff(reviewer, reference, "rejected", comment="The household's wealth was not declared.")
    return client, reference, reviewer


def test_without_a_decision_there_is_nothing_to_object_to(app: Any, sign_in_as: Any) -> None:
    response = sign_in_as(app, CAP.head).get("/apply/social_security/objection/", headers={"Accept-Language": "en"})

    assert response.status_code == 403
    assert "You can object within 10 days of a decision on your application." in response.get_data(as_text=True)


def test_an_objection_to_a_rejection_is_upheld_by_staff(app: Any, sign_in_as: Any, sign_in_staff: Any) -> None:
    client, rejected, reviewer = rejected_application(app, sign_in_as, sign_in_staff)
    walk = FormWalk(client, SLUG, "objection", language="en")
    walk.start()

    walk.fill(
        "objection",
        {
            "reference": rejected.lower(),
            "grounds": "rejection",
            "reason": "We own no property besides our home; the deed is attached.",
            "evidence": (BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "deed.pdf"),
        },
    )
    objection = walk.submit()
    move_as_staff(reviewer, objection, "in_review")
    move_as_staff(reviewer, objection, "approved")

    assert objection.startswith("DSO-") and application(app, objection).state == "approved"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_someone_elses_or_an_unknown_reference_is_refused(
    app: Any, sign_in_as: Any, sign_in_staff: Any, language: str
) -> None:
    client, _rejected, _reviewer = rejected_application(app, sign_in_as, sign_in_staff)
    walk = FormWalk(client, SLUG, "objection", language=language)
    walk.start()

    errors = walk.errors(
        "objection", {"reference": "DSS-0000000", "grounds": "amount", "reason": "The amount is wrong."}
    )

    expected = {
        "ar": "هذا ليس من طلباتك التي صدر فيها قرار خلال آخر 10 أيام.",
        "en": "This is not one of your decided applications of the last 10 days.",
    }
    assert errors == {"reference": expected[language]}
