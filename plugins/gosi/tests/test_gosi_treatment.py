"""Occupational injury treatment: a request with the physician's referral, decided by medical staff only.

Majed (1000000099) has a back injury under treatment (INJ-2026-004417).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from bawaba_sdk.testing.applications import application, move_as_staff
from bawaba_sdk.testing.forms import FormWalk
from bawaba_sdk.testing.outbox import latest_code
from bawaba_sdk.testing.staff import sign_in_staff

INJURED = "1000000099"
CASE = "INJ-2026-004417"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="gosi")


def walk_for(portal: Any, sign_in_as: Callable[..., Any], id_number: str) -> FormWalk:
    client = sign_in_as(portal, id_number)
    client.post("/gosi/account/activate", data={"channel": "sms"})
    client.post("/gosi/account/activate/code", data={"code": latest_code(portal, person=id_number)})
    return FormWalk(client, "gosi", "health_treatment", language="en")


def request(letter: bytes = PDF, name: str = "referral.pdf") -> dict[str, Any]:
    return {"case": CASE, "kind": "physiotherapy", "sessions": "10", "referral": (io.BytesIO(letter), name)}


def test_physiotherapy_is_approved_by_medical_staff_only(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    walk = walk_for(portal, sign_in_as, INJURED)
    walk.start()
    walk.fill("treatment", request())
    reference = walk.submit()
    assert reference.startswith("GOT-")

    reviewer = sign_in_staff(portal, "gosi", "reviewer")
    move_as_staff(reviewer, reference, "in_review", status=403)
    medical = sign_in_staff(portal, "gosi", "medical")
    move_as_staff(medical, reference, "in_review")
    move_as_staff(medical, reference, "approved")

    approved = application(portal, reference)
    assert approved.state == "approved" and approved.extra["approved_sessions"] == 10


def test_a_referral_that_is_not_a_pdf_or_an_image_is_refused(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    walk = walk_for(portal, sign_in_as, INJURED)
    walk.start()

    errors = walk.errors("treatment", request(letter=b"MZ\x90\x00 an executable", name="referral.pdf"))

    assert "referral" in errors


def test_someone_without_an_injury_under_treatment_is_told_why(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    walk = walk_for(portal, sign_in_as, "1000000008")

    answer = walk.client.get("/apply/gosi/health_treatment/", headers={"Accept-Language": "en"})

    assert answer.status_code == 403
    assert "You have an occupational injury under treatment" in answer.get_data(as_text=True)
