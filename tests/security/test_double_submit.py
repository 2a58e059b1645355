"""Issue 11, item 5: every click on "Send" lands on the one application's confirmation.

Several clicks on "Send" of one visa request (with its uploaded document) at
once, as real concurrent requests against the portal served over HTTP, on
SQLite and, when ``GATEWAY_TEST_DATABASE_URL`` is set, on PostgreSQL. Before,
the losing clicks got a 400 on PostgreSQL (the document already attached by
the winner) or a 500 "database is locked" on SQLite.
"""

from __future__ import annotations

import requests
from sqlalchemy import select

from gateway.applications.models import Application
from gateway.documents.models import Document
from gateway.forms.models import Draft
from gateway.payments.models import Bill
from tests.security.double_submit import CLICKS, NEW_VISA, ReadyToSend, at_once, backend, count, ready_to_send
from tests.security.live import serving
from tests.security.verdict import note

__all__ = ["ready_to_send"]


def test_every_click_on_send_lands_on_the_one_applications_confirmation(ready_to_send: ReadyToSend) -> None:
    app, key = ready_to_send.app, ready_to_send.submission_key
    cookie = ready_to_send.citizen.get_cookie("bawaba_session")
    assert cookie is not None
    with serving(app) as base:

        def click() -> requests.Response:
            browser = requests.Session()
            browser.cookies.set("bawaba_session", cookie.value)
            return browser.post(f"{base}{NEW_VISA}check", data={"submission_key": key}, allow_redirects=False)

        answers = at_once(CLICKS, click)
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [303] * CLICKS, [(a.status_code, a.text[:300]) for a in answers]
        locations = {answer.headers["Location"] for answer in answers}
        assert len(locations) == 1
        [location] = locations
        reference = location.rstrip("/").rsplit("/", 1)[-1]
        confirmation = requests.get(
            base + location, cookies={"bawaba_session": cookie.value}, headers={"Accept-Language": "en"}, timeout=60
        )
        assert confirmation.status_code == 200 and reference in confirmation.text

    made = Application.submission_key == key
    assert count(app, Application, made) == 1
    with app.extensions["gateway"].database.session_factory() as db:
        application = db.scalars(select(Application).where(made)).one()
        assert application.reference == reference
        assert count(app, Document, Document.application_id == application.id) == 1
        assert count(app, Bill, Bill.application_id == application.id) == 1
    assert count(app, Draft) == 0
    note(__name__, f"{CLICKS} clicks on Send at once ({backend(app)}): {CLICKS} × 303 to one confirmation")
