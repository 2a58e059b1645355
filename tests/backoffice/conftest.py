"""Helpers for the back-office tests: a portal with two programs, staff accounts and real applications.

Applications of the sample ``permits`` program are made through the real
forms pages (with a document); applications of the sample ``probe``
program through ``submit_application`` directly. Staff sign in through the
real pages with the code read from the real outbox.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.applications.models import Application
from gateway.applications.service import program_named, submit_application
from gateway.backoffice import init_backoffice
from gateway.backoffice.staff import create_staff
from gateway.documents.models import Document
from gateway.identity.models import Person
from tests.forms.conftest import BOAT, CHECK, EMAIL, PERMITS, START, STEP
from tests.identity.conftest import AHMED, Portal, latest_code
from tests.sample_plugins import entry_points

STAFF_PASSWORD = "tide tables of the gulf 2026"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MOBILES = itertools.cycle(f"+9665512345{n:02d}" for n in range(100))


@dataclass
class Office:
    """The portal with the back office, and ways to make staff and applications in it."""

    app: Flask
    portal: Portal

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.app.extensions["gateway"].database.session_factory() as session:
            yield session

    def staff(self, username: str, roles: dict[str, str] | None = None, *, admin: bool = False) -> tuple[int, str]:
        """Create a staff account; return its id and mobile."""
        mobile = next(MOBILES)
        with self.app.test_request_context(), self.db() as db:
            account = create_staff(
                db,
                username=username,
                full_name=f"{username.title()} Staff",
                mobile=mobile,
                password=STAFF_PASSWORD,
                is_admin=admin,
                roles=roles or {},
            )
            db.commit()
            return account.id, mobile

    def signed_in(self, username: str, roles: dict[str, str] | None = None, *, admin: bool = False) -> FlaskClient:
        """A new staff account and a client signed in as it."""
        _staff_id, mobile = self.staff(username, roles, admin=admin)
        client = self.app.test_client()
        self.sign_in(client, username, mobile)
        return client

    def sign_in(self, client: FlaskClient, username: str, mobile: str) -> None:
        first = client.post("/backoffice/sign-in", data={"username": username, "password": STAFF_PASSWORD})
        assert first.status_code == 303, first.get_data(as_text=True)
        second = client.post("/backoffice/sign-in/code", data={"code": latest_code(self.app, mobile)})
        assert second.status_code == 303, second.get_data(as_text=True)

    def ahmed(self) -> FlaskClient:
        client = self.app.test_client()
        self.portal.register(client)
        return client

    def ahmed_id(self) -> int:
        with self.db() as db:
            person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
            return person.id

    def probe_application(self, key: str) -> str:
        """A probe (sample plugin) application of Ahmed's, submitted directly; its reference."""
        with self.app.test_request_context(), self.db() as db:
            person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
            program = program_named("probe")
            assert program is not None
            service = program.service("note")
            assert service is not None
            application = submit_application(
                db,
                person=person,
                program=program,
                service=service,
                answers={"note": {"text": "hi"}},
                submission_key=key,
            )
            db.commit()
            return application.reference

    def permits_application(self, citizen: FlaskClient) -> str:
        """A permits application with a PDF, through the real forms pages; its reference."""
        assert citizen.get(START).status_code == 303
        assert citizen.post(STEP + "personal", data=EMAIL).status_code == 303
        boat = citizen.post(
            STEP + "boat",
            data={**BOAT, "registration": (BytesIO(MINIMAL_PDF), "registration.pdf")},
            content_type="multipart/form-data",
        )
        assert boat.status_code == 303, boat.get_data(as_text=True)
        check = citizen.get(CHECK).get_data(as_text=True)
        key = re.search(r'name="submission_key" value="([^"]+)"', check)
        assert key is not None
        assert citizen.post(CHECK, data={"submission_key": key.group(1)}).status_code == 303
        with self.db() as db:
            application = db.scalars(
                select(Application).where(Application.program == "permits").order_by(Application.id.desc())
            ).first()
            assert application is not None
            return application.reference

    def document_of(self, reference: str) -> str:
        with self.db() as db:
            application = db.scalars(select(Application).where(Application.reference == reference)).one()
            document = db.scalars(select(Document).where(Document.application_id == application.id)).one()
            return document.public_id

    def application(self, reference: str) -> Application:
        with self.db() as db:
            application = db.scalars(select(Application).where(Application.reference == reference)).one()
            db.expunge(application)
            return application


@pytest.fixture
def office(make_app: Callable[..., Flask], tmp_path: Any) -> Office:
    app = make_app(
        PLUGINS="permits,probe",
        PLUGIN_ENTRY_POINTS=entry_points(permits=PERMITS, probe="tests.sample_plugins.workflow_probe"),
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
    )
    if "gateway.backoffice" not in app.extensions:
        init_backoffice(app)
    return Office(app=app, portal=Portal(app))


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))
