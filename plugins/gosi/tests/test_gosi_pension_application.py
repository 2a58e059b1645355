"""Applying for a pension: the host's form with the SDK's IBAN field, staff review, the pension shown once approved.

Abdulrahman (1000000040) has 453 months under the old law and is 71: his
pension, worked out from the record, is 13,212.50 a month. Ahmed
(1000000008, 42, still working) may not apply yet, and is shown why.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from bawaba_sdk.testing.applications import application, move_application, move_as_staff
from bawaba_sdk.testing.forms import FormWalk
from bawaba_sdk.testing.outbox import latest_code
from bawaba_sdk.testing.staff import sign_in_staff
from bawaba_sdk.validators import make_saudi_iban

RETIRED = "1000000040"
IBAN = make_saudi_iban("80000000608010167519")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="gosi")


def activated(portal: Any, sign_in_as: Callable[..., Any], id_number: str) -> Any:
    client = sign_in_as(portal, id_number)
    client.post("/gosi/account/activate", data={"channel": "sms"})
    client.post("/gosi/account/activate/code", data={"code": latest_code(portal, person=id_number)})
    return client


def payment(iban: str = IBAN, letter: bytes = PDF, name: str = "letter.pdf") -> dict[str, Any]:
    return {"iban": iban, "bank_letter": (io.BytesIO(letter), name), "declaration": "y"}


def test_apply_review_approve_and_the_pension_shows(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = activated(portal, sign_in_as, RETIRED)
    walk = FormWalk(client, "gosi", "pension", language="en")
    walk.start()
    walk.fill("payment", payment(iban="sa03 8000 0000 6080 1016 7519"))

    reference = walk.submit()

    submitted = application(portal, reference)
    assert reference.startswith("GOP-") and submitted.state == "submitted"
    assert submitted.answers["payment"]["iban"] == "SA0380000000608010167519"
    assert submitted.extra["estimated_pension"] == "13212.50"
    move_application(portal, reference, "in_review")
    move_as_staff(sign_in_staff(portal, "gosi"), reference, "approved")
    approved = application(portal, reference)
    assert approved.state == "approved" and approved.extra["monthly_pension"] == "13212.50"
    home = client.get("/gosi/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your pension is approved: 13,212.50" in home
    arabic = client.get("/gosi/account", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "معاشك معتمد" in arabic


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("SA0480000000608010167519", "a digit is probably mistyped"),
        ("GB29NWBK60161331926819", "it starts with SA"),
        ("SA038000000060801016751", "SA and 22 digits"),
    ],
)
def test_a_bad_iban_is_refused_and_the_rest_is_kept(
    portal: Any, sign_in_as: Callable[..., Any], iban: str, message: str
) -> None:
    client = activated(portal, sign_in_as, RETIRED)
    walk = FormWalk(client, "gosi", "pension", language="en")
    walk.start()

    errors = walk.errors("payment", payment(iban=iban))

    assert message in errors["iban"]
    arabic = FormWalk(client, "gosi", "pension", language="ar").errors("payment", payment(iban=iban))
    assert arabic["iban"] != errors["iban"]
    walk.fill("payment", {"iban": IBAN, "declaration": "y"})  # the letter sent with the bad IBAN was kept
    assert walk.submit().startswith("GOP-")


def test_a_bank_letter_that_is_not_a_pdf_or_an_image_is_refused(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = activated(portal, sign_in_as, RETIRED)
    walk = FormWalk(client, "gosi", "pension", language="en")
    walk.start()

    errors = walk.errors("payment", payment(letter=b"MZ\x90\x00 not a document", name="letter.pdf"))

    assert "bank_letter" in errors


def test_someone_who_cannot_retire_yet_is_told_why(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = activated(portal, sign_in_as, "1000000008")

    answer = client.get("/apply/gosi/pension/", headers={"Accept-Language": "en"})

    assert answer.status_code == 403
    text = answer.get_data(as_text=True)
    assert "At least 300 contribution months for an early pension" in text


# -- SANED -------------------------------------------------------------------------------------


def test_a_saned_application_keeps_the_allowance_month_by_month(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = activated(portal, sign_in_as, "1000000065")  # contract ended on 31 October 2026, average 8,000
    walk = FormWalk(client, "gosi", "saned", language="en")
    walk.start()
    walk.fill("payment", {"iban": IBAN, "declaration": "y"})

    reference = walk.submit()

    extra = application(portal, reference).extra
    assert reference.startswith("GOS-")
    assert (extra["first_months"], extra["later_months"], extra["total"]) == ("4800.00", "4000.00", "50400.00")
    move_application(portal, reference, "in_review")
    move_as_staff(sign_in_staff(portal, "gosi"), reference, "approved")
    assert application(portal, reference).state == "approved"


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("1427464472", "Applies within 90 days of leaving work"),  # left on 31 July 2026
        ("1744436062", "Did not leave by resigning"),  # resigned
        ("1000000008", "SANED is paid only after a job ends"),  # still working
    ],
)
def test_saned_refuses_with_the_rule_that_is_not_met(
    portal: Any, sign_in_as: Callable[..., Any], id_number: str, message: str
) -> None:
    client = activated(portal, sign_in_as, id_number)

    answer = client.get("/apply/gosi/saned/", headers={"Accept-Language": "en"})

    assert answer.status_code == 403
    assert message in answer.get_data(as_text=True)
