"""Mediation contracts end to end: an issued visa, an office from the directory, the advance, the office's work.

Visas are issued through the real flow (request, fee, review, issue), the
contract is filled in the host's form, the advance is paid through its bill,
and office users (staff scoped to one licence) act in the back office. No
one sees another person's contract, and an office sees only its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from flask.testing import FlaskClient
from musaned_portal import MINIMAL_PDF, Musaned, text

from bawaba_sdk.testing.demo import load_demo_data
from bawaba_sdk.testing.payments import bills


def load_demo(musaned: Musaned) -> str:
    """What ``gateway demo load`` does, on the test portal; its report (the SDK's kit)."""
    return "\n".join(load_demo_data(musaned.app))


AHMED = "1000000008"
RAJESH = "2000000006"
EN = {"Accept-Language": "en"}
FORM = "/apply/musaned/mediation_contract/"


# -- helpers shared with the complaint tests ---------------------------------------------------


def request_visa(musaned: Musaned, citizen: FlaskClient, nationality: str = "PH") -> str:
    """A visa request sent through the host's form; returns its reference."""
    return musaned.submit(
        citizen,
        "new_visa",
        {
            "worker": {"worker_type": "housemaid", "nationality": nationality, "salary": "1500"},
            "household": {"household_size": "4", "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh"},
            "capacity": {
                "proof_kind": "salary_certificate",
                "monthly_income": "18000",
                "proof": (BytesIO(MINIMAL_PDF), "salary.pdf"),
            },
        },
    )


def issued_visa(musaned: Musaned, citizen: FlaskClient, nationality: str = "PH", officer: str = "visas") -> str:
    """A visa issued through the real flow (request, fee paid, review, issue); returns its visa number."""
    reference = request_visa(musaned, citizen, nationality)
    musaned.pay(citizen, reference)
    staff = musaned.staff(f"{officer}{reference[-4:].lower()}")
    assert musaned.move(staff, reference, "in_review").status_code == 303
    assert musaned.move(staff, reference, "issued").status_code == 303
    application = musaned.application(reference)
    assert application.state == "issued", application.state
    return str(application.extra["visa_number"])


def make_contract(musaned: Musaned, citizen: FlaskClient, visa_number: str, licence: str = "ML-1001") -> str:
    return musaned.submit(citizen, "mediation_contract", {"visa": {"visa": visa_number}, "office": {"office": licence}})


def office_user(musaned: Musaned, licence: str = "ML-1001", name: str | None = None) -> FlaskClient:
    return musaned.staff(name or f"office{licence[-4:]}", scope=licence)


def citizen_move(citizen: FlaskClient, reference: str, target: str, comment: str = "") -> Any:
    return citizen.post(f"/applications/{reference}/move", data={"target": target, "comment": comment}, headers=EN)


@pytest.fixture
def ready(musaned: Musaned) -> Musaned:
    """A portal with the demo offices loaded."""
    load_demo(musaned)
    return musaned


def options(html: str, name: str) -> list[str]:
    """The values offered by the select called ``name``."""
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select_html is not None, html
    return [value for value in re.findall(r'<option value="([^"]*)"', select_html.group(0)) if value]


# -- eligibility -----------------------------------------------------------------------------


def test_without_an_issued_visa_the_contract_form_refuses_and_says_what_to_do(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    page = ahmed.get(FORM, headers=EN)
    assert page.status_code == 403
    assert "You have an issued visa without a contract" in text(page)
    assert "You have no valid issued visa." in text(page)
    # A visa that is requested but not issued yet does not count.
    request_visa(ready, ahmed)
    assert ahmed.get(FORM + "visa", headers=EN).status_code == 403


# -- the happy path --------------------------------------------------------------------------


def test_contract_bills_the_advance_from_the_offices_price_and_records_the_contract(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    visa_number = issued_visa(ready, ahmed)

    first = ahmed.get(FORM + "visa", headers=EN)
    assert first.status_code == 200
    assert options(text(first), "visa") == [visa_number]
    assert f"Visa {visa_number}: Housemaid from Philippines" in text(first)
    ahmed.post(FORM + "visa", data={"visa": visa_number}, headers=EN)
    office_page = text(ahmed.get(FORM + "office", headers=EN))
    offered = options(office_page, "office")
    assert "ML-1001" in offered and "ML-1005" not in offered  # Savanna Star recruits from Africa only
    assert "ML-1016" not in offered  # suspended
    assert "Palm Frond Recruitment Office (Riyadh), rated 4.7 of 5, about 45 days to deliver" in office_page
    assert "15,500.00 SAR for a worker from Philippines" in office_page
    ahmed.post(FORM + "office", data={"office": "ML-1001"}, headers=EN)
    check = text(ahmed.get(FORM + "check", headers=EN))
    assert "3,875.00 SAR" in check  # 25% of 15,500.00

    reference = make_contract(ready, ahmed, visa_number)
    assert reference.startswith("MSC-")
    application = ready.application(reference)
    assert application.state == "submitted"
    assert application.scope == "ML-1001"
    assert application.extra["contract_value"] == "15500.00"
    assert application.extra["advance"] == "3875.00"
    assert application.extra["office_name_en"] == "Palm Frond Recruitment Office"
    assert application.extra["visa_number"] == visa_number
    assert application.extra["expected_arrival_on"]
    assert [bill.amount for bill in bills(ready.app, reference)] == [Decimal("3875.00")]

    listing = ahmed.get("/musaned/contracts", headers=EN)
    html = text(listing)
    assert listing.status_code == 200
    assert reference in html and "Palm Frond Recruitment Office" in html
    assert "15,500.00 SAR" in html and "3,875.00 SAR" in html
    assert "AH)" in html  # the expected arrival also in the Hijri calendar
    assert f'href="/applications/{reference}"' in html
    detail = text(ahmed.get(f"/applications/{reference}", headers=EN))
    assert ready.bill_number(reference) in detail

    # The visa now has a live contract: it is no longer offered, and nothing else is.
    assert ahmed.get(FORM, headers=EN).status_code == 403


def test_advance_percent_is_configuration(make_portal: Any, sign_in_as: Any, tmp_path: Any) -> None:
    app = make_portal(
        plugins="musaned",
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
        MUSANED_CONTRACT_ADVANCE_PERCENT="10",
    )
    portal = Musaned(app=app, sign_in_as=sign_in_as)
    load_demo(portal)
    ahmed = portal.citizen(AHMED)
    reference = make_contract(portal, ahmed, issued_visa(portal, ahmed), "ML-1003")
    assert portal.application(reference).extra["advance"] == "1690.00"  # 10% of 16,900.00
    assert [bill.amount for bill in bills(app, reference)] == [Decimal("1690.00")]


# -- what the form refuses -------------------------------------------------------------------


def test_form_refuses_another_persons_visa_a_contracted_visa_and_an_office_without_the_nationality(
    ready: Musaned,
) -> None:
    rajesh = ready.citizen(RAJESH)
    rajesh_visa = issued_visa(ready, rajesh, officer="r")
    ahmed = ready.citizen(AHMED)
    first = issued_visa(ready, ahmed, officer="a")
    second = issued_visa(ready, ahmed, officer="b")

    # Someone else's visa number is not among the choices.
    refused = ahmed.post(FORM + "visa", data={"visa": rajesh_visa}, headers=EN)
    assert refused.status_code in (400, 422)
    assert "Choose one of the options listed." in text(refused)

    # An office that does not recruit the visa's nationality.
    assert ahmed.post(FORM + "visa", data={"visa": first}, headers=EN).status_code == 303
    wrong = ahmed.post(FORM + "office", data={"office": "ML-1005"}, headers=EN)
    assert wrong.status_code in (400, 422)
    assert "Choose one of the options listed." in text(wrong) or "does not recruit workers from" in text(wrong)
    unknown = ahmed.post(FORM + "office", data={"office": "ML-9999"}, headers=EN)
    assert unknown.status_code in (400, 422)

    # Once a visa has a contract it is not offered again, and posting it is refused.
    make_contract(ready, ahmed, first)
    page = text(ahmed.get(FORM + "visa", headers=EN))
    assert options(page, "visa") == [second]
    again = ahmed.post(FORM + "visa", data={"visa": first}, headers=EN)
    assert again.status_code in (400, 422)


def test_the_offices_offered_follow_the_visa_chosen_in_the_first_step(ready: Musaned) -> None:
    """Ahmed has a Philippine and a Kenyan visa: each choice lists only the offices recruiting that nationality."""
    ahmed = ready.citizen(AHMED)
    philippines = issued_visa(ready, ahmed, "PH", officer="a")
    kenya = issued_visa(ready, ahmed, "KE", officer="b")
    assert ahmed.post(FORM + "visa", data={"visa": philippines}, headers=EN).status_code == 303
    offered = options(text(ahmed.get(FORM + "office", headers=EN)), "office")
    assert "ML-1001" in offered and "ML-1005" not in offered  # Savanna Star recruits from Kenya only

    refused = ahmed.post(FORM + "office", data={"office": "ML-1005"}, headers=EN)
    assert refused.status_code in (400, 422)
    assert "ML-1005" not in options(text(refused), "office")

    assert ahmed.post(FORM + "visa", data={"visa": kenya}, headers=EN).status_code == 303
    assert "ML-1005" in options(text(ahmed.get(FORM + "office", headers=EN)), "office")
    assert ahmed.post(FORM + "office", data={"office": "ML-1005"}, headers=EN).status_code == 303


# -- the office's side -----------------------------------------------------------------------


def test_office_user_sees_and_accepts_only_its_own_contracts(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    ours = make_contract(ready, ahmed, issued_visa(ready, ahmed, officer="a"), "ML-1001")
    theirs = make_contract(ready, ahmed, issued_visa(ready, ahmed, officer="b"), "ML-1002")
    visa_request = request_visa(ready, ahmed)
    office = office_user(ready, "ML-1001")

    queue = text(office.get("/backoffice/musaned/queue", headers=EN))
    assert ours in queue and theirs not in queue and visa_request not in queue
    assert office.get(f"/backoffice/musaned/applications/{theirs}", headers=EN).status_code == 404
    assert office.get(f"/backoffice/musaned/applications/{visa_request}", headers=EN).status_code == 404
    assert ready.move(office, theirs, "accepted").status_code == 404
    assert ready.application(theirs).state == "submitted"

    page = office.get(f"/backoffice/musaned/applications/{ours}", headers=EN)
    assert page.status_code == 200 and "Accept the contract" in text(page)
    assert ready.move(office, ours, "accepted").status_code == 303
    accepted = ready.application(ours)
    assert accepted.state == "accepted"
    assert accepted.extra["accepted_on"]

    # Paying the advance now moves the contract on by itself; the office records the arrival.
    ready.pay(ahmed, ours)
    assert ready.application(ours).state == "in_progress"
    assert ready.move(office, ours, "worker_arrived").status_code == 303
    arrived = ready.application(ours)
    assert arrived.state == "worker_arrived" and arrived.extra["arrived_on"]
    listing = text(ahmed.get("/musaned/contracts", headers=EN))
    assert "Arrived on" in listing


def test_advance_paid_before_the_office_accepts_moves_the_contract_on_at_acceptance(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    reference = make_contract(ready, ahmed, issued_visa(ready, ahmed))
    ready.pay(ahmed, reference)
    assert ready.application(reference).state == "submitted"  # nothing to move until the office accepts

    office = office_user(ready)
    assert ready.move(office, reference, "accepted").status_code == 303
    assert ready.application(reference).state == "in_progress"


def test_office_declines_with_a_reason_and_the_visa_is_free_again(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    visa_number = issued_visa(ready, ahmed)
    reference = make_contract(ready, ahmed, visa_number)
    office = office_user(ready)

    without_reason = ready.move(office, reference, "cancelled", "")
    assert without_reason.status_code in (400, 422)
    assert ready.application(reference).state == "submitted"
    assert ready.move(office, reference, "cancelled", "We have no worker available this season.").status_code == 303
    cancelled = ready.application(reference)
    assert cancelled.state == "cancelled" and cancelled.extra["cancelled_on"]

    assert ahmed.get(FORM, headers=EN).status_code in (200, 303)  # the visa can be used again
    assert visa_number in options(text(ahmed.get(FORM + "visa", headers=EN)), "visa")


def test_citizen_cancels_a_request_and_an_accepted_contract_needs_a_reason(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    first = make_contract(ready, ahmed, issued_visa(ready, ahmed, officer="a"))
    assert citizen_move(ahmed, first, "cancelled").status_code == 303
    assert ready.application(first).state == "cancelled"

    second = make_contract(ready, ahmed, issued_visa(ready, ahmed, officer="b"))
    office = office_user(ready)
    assert ready.move(office, second, "accepted").status_code == 303
    page = text(ahmed.get(f"/applications/{second}", headers=EN))
    assert "Cancel the contract" in page
    assert citizen_move(ahmed, second, "cancelled", "").status_code in (400, 422)
    assert ready.application(second).state == "accepted"
    assert citizen_move(ahmed, second, "cancelled", "I found a worker through a relative.").status_code == 303
    assert ready.application(second).state == "cancelled"

    # Once the advance is paid and the office is at work, only the office can cancel.
    third = make_contract(ready, ahmed, issued_visa(ready, ahmed, officer="c"))
    assert ready.move(office, third, "accepted").status_code == 303
    ready.pay(ahmed, third)
    assert ready.application(third).state == "in_progress"
    assert citizen_move(ahmed, third, "cancelled", "Too slow.").status_code in (400, 403, 404, 409)
    assert ready.application(third).state == "in_progress"


# -- privacy ---------------------------------------------------------------------------------


def test_another_person_sees_nothing_of_a_contract(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    reference = make_contract(ready, ahmed, issued_visa(ready, ahmed))
    rajesh = ready.citizen(RAJESH)

    assert rajesh.get(f"/applications/{reference}", headers=EN).status_code == 404
    assert reference not in text(rajesh.get("/musaned/contracts", headers=EN))
    assert citizen_move(rajesh, reference, "cancelled").status_code == 404
    assert ready.application(reference).state == "submitted"


def test_contract_pages_need_signing_in(ready: Musaned) -> None:
    visitor = ready.app.test_client()
    assert visitor.get("/musaned/contracts").status_code in (302, 303)
    assert visitor.get(FORM).status_code in (302, 303)
