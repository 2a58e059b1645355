"""Complaints about a worker who has not arrived, end to end.

The rule reads the contract's date: the ``accepted_on`` the contract recorded
when the office accepted it (the request's ``submitted_at`` if none was
recorded). Nobody waits 60 days in a test, so :func:`age_contract` moves
both dates of a real contract back in the database, which is exactly what
the passing of time would have done.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from musaned_portal import Musaned, text
from test_contracts import citizen_move, issued_visa, load_demo, make_contract, office_user

from bawaba_musaned.saudi_time import today
from bawaba_sdk.formatting import format_date
from bawaba_sdk.testing.applications import change_application
from bawaba_sdk.validators import gregorian_to_hijri

AHMED = "1000000008"
RAJESH = "2000000006"
EN = {"Accept-Language": "en"}
FORM = "/apply/musaned/worker_not_arrived/"
DETAILS = "The office promised the worker within 45 days and stopped answering our calls."


def age_contract(musaned: Musaned, reference: str, days: int) -> None:
    """Make the contract ``reference`` look accepted (and requested) ``days`` days ago."""
    change_application(
        musaned.app,
        reference,
        submitted_at=datetime.now(UTC) - timedelta(days=days),
        extra={"accepted_on": (today() - timedelta(days=days)).isoformat()},
    )


def accepted_contract(musaned: Musaned, citizen: FlaskClient, *, officer: str = "v", paid: bool = False) -> str:
    """A contract with ML-1001 that the office has accepted (and that is in progress when ``paid``)."""
    reference = make_contract(musaned, citizen, issued_visa(musaned, citizen, officer=officer))
    office = office_user(musaned, name=f"office{officer}")
    assert musaned.move(office, reference, "accepted").status_code == 303
    if paid:
        musaned.pay(citizen, reference)
        assert musaned.application(reference).state == "in_progress"
    return reference


def file_complaint(musaned: Musaned, citizen: FlaskClient, contract: str, details: str = DETAILS) -> str:
    return musaned.submit(citizen, "worker_not_arrived", {"complaint": {"contract": contract, "details": details}})


@pytest.fixture
def ready(musaned: Musaned) -> Musaned:
    load_demo(musaned)
    return musaned


# -- when a complaint may be filed -----------------------------------------------------------


def test_without_a_contract_the_form_refuses_with_the_hotline(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    page = ahmed.get(FORM, headers=EN)
    assert page.status_code == 403
    assert "You have no contract with a recruitment office whose worker is still expected." in text(page)


def test_too_early_is_refused_with_the_first_day_in_both_calendars(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    reference = accepted_contract(ready, ahmed)
    age_contract(ready, reference, 60)  # exactly 60 days: not *more* than 60 yet

    page = ahmed.get(FORM, headers=EN)
    html = text(page)
    first_day = today() + timedelta(days=1)
    assert page.status_code == 403
    shown = format_date(first_day, language="en", with_hijri=True)  # "22 March 2019 (15 Rajab 1440 AH)"
    assert f"You can file a complaint from {shown}" in html
    assert f"{gregorian_to_hijri(first_day).year}\u00a0AH)" in html
    assert "19911" in html
    assert ahmed.post(FORM + "complaint", data={"contract": reference, "details": DETAILS}).status_code == 403

    listing = text(ahmed.get("/musaned/complaints", headers=EN))
    assert "You can file a complaint from" in listing and format_date(first_day, language="en") in listing
    assert 'href="tel:19911"' in listing


def test_a_request_the_office_has_not_accepted_is_not_a_contract_yet(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    reference = make_contract(ready, ahmed, issued_visa(ready, ahmed))
    age_contract(ready, reference, 90)
    page = ahmed.get(FORM, headers=EN)
    assert page.status_code == 403
    assert "The office has not accepted your contract request yet" in text(page)


def test_the_delay_is_configuration(make_portal: Any, sign_in_as: Any, tmp_path: Any) -> None:
    app = make_portal(
        plugins="musaned",
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
        MUSANED_COMPLAINT_AFTER_DAYS="5",
    )
    portal = Musaned(app=app, sign_in_as=sign_in_as)
    load_demo(portal)
    ahmed = portal.citizen(AHMED)
    reference = accepted_contract(portal, ahmed)
    age_contract(portal, reference, 6)
    assert ahmed.get(FORM + "complaint", headers=EN).status_code == 200


# -- filing and handling ---------------------------------------------------------------------


def test_late_worker_complaint_is_filed_and_handled_by_musaned_staff_not_the_office(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    contract = accepted_contract(ready, ahmed, paid=True)
    age_contract(ready, contract, 61)

    contracts_page = text(ahmed.get("/musaned/contracts", headers=EN))
    assert "The worker is late: you can file a complaint." in contracts_page

    step = ahmed.get(FORM + "complaint", headers=EN)
    html = text(step)
    assert step.status_code == 200
    assert re.search(rf'<option value="{contract}"[^>]*>{contract} with Palm Frond Recruitment Office', html)
    assert "19911" in html
    short = ahmed.post(FORM + "complaint", data={"contract": contract, "details": "   late    "}, headers=EN)
    assert short.status_code in (400, 422)
    assert "at least 10 characters" in text(short)

    reference = file_complaint(ready, ahmed, contract)
    assert reference.startswith("MSK-")
    complaint = ready.application(reference)
    assert complaint.state == "submitted"
    assert complaint.scope is None
    assert complaint.extra["contract_reference"] == contract
    assert complaint.extra["office_licence"] == "ML-1001"
    assert complaint.extra["days_waited"] == 61

    # The office complained about never sees the complaint.
    office = office_user(ready, name="officecheck")
    assert office.get(f"/backoffice/musaned/applications/{reference}", headers=EN).status_code == 404
    assert reference not in text(office.get("/backoffice/musaned/queue", headers=EN))
    assert ready.move(office, reference, "in_review").status_code == 404

    # Musaned's staff handle it; resolving needs a comment.
    staff = ready.staff("complaints")
    assert ready.move(staff, reference, "in_review").status_code == 303
    assert ready.move(staff, reference, "resolved", "").status_code in (400, 422)
    assert ready.move(staff, reference, "resolved", "The office delivered the worker on Sunday.").status_code == 303
    resolved = ready.application(reference)
    assert resolved.state == "resolved"
    assert resolved.extra["resolved_on"] == today().isoformat()

    listing = text(ahmed.get("/musaned/complaints", headers=EN))
    assert reference in listing and contract in listing and "Palm Frond Recruitment Office" in listing
    assert "Resolved" in listing


def test_one_open_complaint_per_contract(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    contract = accepted_contract(ready, ahmed)
    age_contract(ready, contract, 70)
    reference = file_complaint(ready, ahmed, contract)

    page = ahmed.get(FORM, headers=EN)
    assert page.status_code == 403
    assert "You have already filed a complaint about each late contract" in text(page)

    # Withdrawn, the complaint no longer blocks a new one.
    assert ahmed.post(f"/applications/{reference}/withdraw", data={"reason": ""}, headers=EN).status_code == 303
    assert ahmed.get(FORM + "complaint", headers=EN).status_code == 200


def test_arrived_or_cancelled_contracts_cannot_be_complained_about(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    arrived = accepted_contract(ready, ahmed, officer="a", paid=True)
    office = office_user(ready, name="officearrival")
    assert ready.move(office, arrived, "worker_arrived").status_code == 303
    cancelled = accepted_contract(ready, ahmed, officer="b")
    assert citizen_move(ahmed, cancelled, "cancelled", "We changed our plans.").status_code == 303
    age_contract(ready, arrived, 90)
    age_contract(ready, cancelled, 90)

    assert ahmed.get(FORM, headers=EN).status_code == 403
    refused = ahmed.post(FORM + "complaint", data={"contract": arrived, "details": DETAILS}, headers=EN)
    assert refused.status_code == 403


def test_another_person_sees_nothing_of_a_complaint_or_can_complain_about_the_contract(ready: Musaned) -> None:
    ahmed = ready.citizen(AHMED)
    contract = accepted_contract(ready, ahmed)
    age_contract(ready, contract, 61)
    reference = file_complaint(ready, ahmed, contract)

    rajesh = ready.citizen(RAJESH)
    assert rajesh.get(f"/applications/{reference}", headers=EN).status_code == 404
    listing = text(rajesh.get("/musaned/complaints", headers=EN))
    assert reference not in listing and contract not in listing
    assert rajesh.get(FORM, headers=EN).status_code == 403
    assert rajesh.post(f"/applications/{reference}/withdraw", data={"reason": ""}, headers=EN).status_code == 404


def test_complaints_page_needs_signing_in(ready: Musaned) -> None:
    assert ready.app.test_client().get("/musaned/complaints").status_code in (302, 303)
