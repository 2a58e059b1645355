"""Issue 4's engine end to end: a declared multi-step service with a file and a fee.

The sample ``permits`` plugin declares everything through the SDK; the
citizen fills each step, uploads a document, checks the answers, submits,
gets a bill, pays it in the sandbox (which moves the application to
``fee_paid`` through the workflow's payment transition) and follows it on
the dashboard.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.applications import Application
from gateway.documents.models import Document
from gateway.payments.models import Bill
from tests.forms.conftest import BOAT, CHECK, EMAIL, START, STEP, page
from tests.identity.conftest import Portal

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_citizen_applies_uploads_pays_and_follows_the_application(ahmed: FlaskClient, forms_portal: Portal) -> None:
    headers = {"Accept-Language": "en"}
    assert ahmed.get(START).status_code == 303
    assert ahmed.post(STEP + "personal", data=EMAIL).status_code == 303
    from io import BytesIO

    boat = ahmed.post(
        STEP + "boat",
        data={**BOAT, "registration": (BytesIO(MINIMAL_PDF), "registration.pdf")},
        content_type="multipart/form-data",
    )
    assert boat.status_code == 303, page(boat)
    check = page(ahmed.get(CHECK, headers=headers))
    key = re.search(r'name="submission_key" value="([^"]+)"', check)
    assert key is not None
    submitted = ahmed.post(CHECK, data={"submission_key": key.group(1)})
    assert submitted.status_code == 303
    done = page(ahmed.get(submitted.headers["Location"], headers=headers))
    reference = re.search(r'class="reference" dir="ltr">(PRM-[0-9A-Z]{8})<', done)
    assert reference is not None
    bill_number = re.search(r"/payments/bills/(\d{12})", done)
    assert bill_number is not None, done

    with forms_portal.app.extensions["gateway"].database.session_factory() as db:
        application = db.scalars(select(Application)).one()
        assert application.state == "submitted"
        bill = db.scalars(select(Bill)).one()
        assert str(bill.amount) == "150.00"
        document = db.scalars(select(Document)).one()
        assert document.application_id == application.id
        assert document.content_type == "application/pdf"

    bill_page = page(ahmed.get(f"/payments/bills/{bill_number.group(1)}", headers=headers))
    assert "150" in bill_page
    paid = ahmed.post(f"/payments/bills/{bill_number.group(1)}/sandbox-pay")
    assert paid.status_code == 303
    with forms_portal.app.extensions["gateway"].database.session_factory() as db:
        assert db.scalars(select(Application)).one().state == "fee_paid"

    dashboard = page(ahmed.get("/applications/", headers=headers))
    assert reference.group(1) in dashboard
    assert "Fee paid" in dashboard
    detail = page(ahmed.get(f"/applications/{reference.group(1)}", headers=headers))
    assert "registration.pdf" in detail
    assert "Fishing licence" in detail

    stranger = forms_portal.client()
    forms_portal.register(
        stranger,
        person=_rajesh(),
        mobile=_mobile(forms_portal, "2000000006"),
        username="rajesh86",
        email="rajesh@example.com",
    )
    assert stranger.get(f"/applications/{reference.group(1)}").status_code == 404
    assert stranger.get(f"/payments/bills/{bill_number.group(1)}").status_code == 404


def _rajesh() -> dict[str, str]:
    from tests.identity.conftest import RAJESH

    return RAJESH


def _mobile(portal: Portal, id_number: str) -> str:
    record = portal.app.extensions["gateway"].registry.lookup(id_number)
    assert record is not None
    return record.mobile
