"""Submitting through the API (once per key, with its bill) and reading one's own applications."""

from __future__ import annotations

import io

from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from gateway import documents
from gateway.applications import Application
from gateway.documents.models import Document
from gateway.forms import Draft
from gateway.payments.models import Bill
from tests.api.api_flow import BOAT, OMAR_ID, SERVICE, Caller, caller_for, fill_draft
from tests.oidc.oidc_flow import fetch_all

SUBMIT = SERVICE + "/submit"
KEY = "app-key-0001-abcdef"


def test_submit_is_idempotent_and_bills_the_fee(sara: Caller, api_app: Flask) -> None:
    fill_draft(sara, crew=True)
    first = sara.post(SUBMIT, {"submission_key": KEY})
    assert first.status_code == 201, first.get_json()
    application = first.get_json()
    reference = application["reference"]
    assert reference.startswith("PRM-") and len(reference) == 12
    assert first.headers["Location"].endswith(f"/api/v1/applications/{reference}")
    assert application["state"] == "submitted"
    assert application["state_label"] == "Submitted"
    assert [event["target"] for event in application["history"]] == ["submitted"]
    assert application["history"][0]["actor_kind"] == "citizen"
    (bill,) = application["bills"]
    assert bill["amount"] == "150.00" and bill["status"] == "unpaid" and bill["currency"] == "SAR"
    assert application["answers"]["crew"]["members"][0]["national_id"] == OMAR_ID
    assert fetch_all(api_app, select(Draft)) == []  # the draft became the application

    again = sara.post(SUBMIT, {"submission_key": KEY})  # a retry after a lost answer gets the same answer
    assert again.status_code == 201
    assert again.headers["Location"] == first.headers["Location"]
    assert again.get_json() == application
    assert len(fetch_all(api_app, select(Application))) == 1
    assert len(fetch_all(api_app, select(Bill))) == 1


def test_the_same_key_with_other_answers_is_a_422_naming_the_key(sara: Caller, api_app: Flask) -> None:
    fill_draft(sara)
    first = sara.post(SUBMIT, {"submission_key": KEY})
    assert first.status_code == 201
    fill_draft(sara, crew=True)  # a new draft, with a crew this time, sent with the old key
    changed = sara.post(SUBMIT, {"submission_key": KEY})
    assert changed.status_code == 422
    assert set(changed.get_json()["errors"]) == {"submission_key"}
    assert first.get_json()["reference"] in changed.get_json()["errors"]["submission_key"]
    assert len(fetch_all(api_app, select(Application))) == 1
    assert len(fetch_all(api_app, select(Draft))) == 1  # the new answers are kept for a new key
    assert sara.post(SUBMIT, {"submission_key": KEY + "-2"}).status_code == 201


def test_submit_needs_a_complete_draft_and_a_good_key(sara: Caller, api_app: Flask) -> None:
    assert sara.post(SUBMIT, {}).status_code == 422
    assert set(sara.post(SUBMIT, {"submission_key": "short"}).get_json()["errors"]) == {"submission_key"}
    assert sara.post(SUBMIT, {"submission_key": "x" * 65}).status_code == 422
    assert sara.post(SUBMIT, {"submission_key": 12345678}).status_code == 422
    response = sara.post(SUBMIT, {"submission_key": KEY})
    assert response.status_code == 409 and set(response.get_json()["errors"]) == {"draft"}
    sara.put(SERVICE + "/draft", {"step": "personal", "data": {"email": "sara@example.com"}})
    assert sara.post(SUBMIT, {"submission_key": KEY}).status_code == 409
    assert fetch_all(api_app, select(Application)) == []


def test_another_persons_key_is_refused(sara: Caller, api_app: Flask) -> None:
    fill_draft(sara)
    assert sara.post(SUBMIT, {"submission_key": KEY}).status_code == 201
    omar = caller_for(api_app, OMAR_ID, email="omar@example.com", mobile="+966507654321")
    fill_draft(omar)
    response = omar.post(SUBMIT, {"submission_key": KEY})
    assert response.status_code == 409 and set(response.get_json()["errors"]) == {"submission_key"}
    assert omar.post(SUBMIT, {"submission_key": KEY + "-omar"}).status_code == 201


def test_list_and_read_only_ones_own(sara: Caller, api_app: Flask) -> None:
    assert sara.get("/api/v1/applications").get_json() == {"applications": []}
    fill_draft(sara)
    reference = sara.post(SUBMIT, {"submission_key": KEY}).get_json()["reference"]
    listed = sara.get("/api/v1/applications").get_json()["applications"]
    assert [item["reference"] for item in listed] == [reference]
    assert listed[0]["service_name"] == "Fishing licence"
    assert listed[0]["next_action"]  # an unpaid fee: the app can tell the person what to do
    assert "answers" not in listed[0]

    read = sara.get(f"/api/v1/applications/{reference.lower()}")  # typed references are normalised
    assert read.status_code == 200 and read.get_json()["reference"] == reference

    sara.language = "ar"
    arabic = sara.get(f"/api/v1/applications/{reference}").get_json()
    assert arabic["state"] == "submitted" and arabic["state_label"] != "Submitted"
    assert arabic["history"][0]["actor"] != "You"

    omar = caller_for(api_app, OMAR_ID, email="omar@example.com", mobile="+966507654321")
    assert omar.get("/api/v1/applications").get_json() == {"applications": []}
    hidden = omar.get(f"/api/v1/applications/{reference}")
    assert hidden.status_code == 404
    assert hidden.get_json()["error"]["code"] == 404
    assert omar.get("/api/v1/applications/PRM-ZZZZZZZZ").status_code == 404
    assert omar.get("/api/v1/applications/" + "x" * 300).status_code == 404


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def upload(app: Flask, person_id: int) -> str:
    """A document stored the way the upload pages store one (the API itself takes no files yet)."""
    with app.test_request_context():
        db = app.extensions["gateway"].db_session()
        stored = documents.store_upload(
            db, person_id=person_id, file_storage=FileStorage(io.BytesIO(PDF), "boat.pdf"), purpose="test"
        )
        db.commit()
        return str(stored.public_id)


def test_a_document_of_ones_own_is_attached_on_submit(sara: Caller, api_app: Flask) -> None:
    omar = caller_for(api_app, OMAR_ID, email="omar@example.com", mobile="+966507654321")
    theirs = upload(api_app, omar.person.id)
    mine = upload(api_app, sara.person.id)
    sara.put(SERVICE + "/draft", {"step": "personal", "data": {"email": "sara@example.com"}})
    response = sara.put(SERVICE + "/draft", {"step": "boat", "data": {**BOAT, "registration": theirs}})
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"registration"}
    response = sara.put(SERVICE + "/draft", {"step": "boat", "data": {**BOAT, "registration": mine}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["answers"]["boat"]["registration"] == mine
    assert sara.post(SUBMIT, {"submission_key": KEY}).status_code == 201
    (document,) = fetch_all(api_app, select(Document).where(Document.public_id == mine))
    assert document.application_id is not None
    # Once part of an application it cannot be named again in another draft.
    response = sara.put(SERVICE + "/draft", {"step": "boat", "data": {**BOAT, "registration": mine}})
    assert response.status_code == 422
