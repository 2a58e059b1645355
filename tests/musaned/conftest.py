"""The host's helpers for a portal with Musaned, used by the attack suite (``tests/security``).

Musaned's own tests live in ``plugins/musaned/tests`` and use only the SDK's
kit (``musaned_portal.py``); these helpers stay for the host's tests, which
register citizens through the real registration pages (their names and birth
dates read from the sandbox registry) and sign staff in through the back
office's pages with real codes from the outbox.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk.validators import gregorian_to_hijri
from gateway.applications.models import Application
from gateway.backoffice import init_backoffice
from gateway.backoffice.staff import create_staff
from gateway.payments.models import Bill
from gateway.registry.adapter import registry_for
from tests.identity.conftest import GOOD_PASSWORD, latest_code

STAFF_PASSWORD = "tide tables of the gulf 2026"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF_MOBILES = itertools.cycle(f"+9665512399{n:02d}" for n in range(100))


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


@dataclass
class Musaned:
    """A portal with Musaned and the back office, and ways to act in it as citizens and staff."""

    app: Flask
    registered: set[str] = field(default_factory=set)

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.app.extensions["gateway"].database.session_factory() as session:
            yield session

    # -- citizens ------------------------------------------------------------------------------

    def citizen(self, id_number: str = "1000000008") -> FlaskClient:
        """A client signed in as the sandbox person ``id_number`` (registered through the pages first)."""
        client = self.app.test_client()
        record = registry_for(self.app).lookup(id_number)
        assert record is not None, f"{id_number} is not in the sandbox registry"
        if id_number in self.registered:
            self._sign_in(client, id_number, record.mobile)
            return client
        if record.is_citizen:  # citizens type their Hijri birth date, day first
            year, month, day = gregorian_to_hijri(record.birth_date).isoformat().split("-")
            birth = f"{day}/{month}/{year}"
        else:
            birth = record.birth_date.isoformat()
        started = client.post(
            "/account/register",
            data={
                "id_type": record.id_type.value,
                "id_number": id_number,
                "first_name": record.first_name_en,
                "family_name": record.family_name_en,
                "birth_date": birth,
            },
        )
        assert started.status_code == 303, text(started)
        coded = client.post("/account/register/code", data={"code": latest_code(self.app, record.mobile)})
        assert coded.status_code == 303, text(coded)
        done = client.post(
            "/account/register/details",
            data={
                "username": f"user{id_number}",
                "password": GOOD_PASSWORD,
                "password_confirmation": GOOD_PASSWORD,
                "email": f"{id_number}@example.com",
                "mobile": record.mobile.replace("+966", "0"),
            },
        )
        assert done.status_code == 303, text(done)
        self.registered.add(id_number)
        return client

    def _sign_in(self, client: FlaskClient, id_number: str, mobile: str) -> None:
        first = client.post("/account/sign-in", data={"identifier": id_number, "password": GOOD_PASSWORD})
        assert first.status_code == 303, text(first)
        second = client.post("/account/sign-in/code", data={"code": latest_code(self.app, mobile)})
        assert second.status_code == 303, text(second)

    # -- staff and office users ----------------------------------------------------------------

    def staff(
        self, username: str, role: str = "reviewer", *, scope: str | None = None, program: str = "musaned"
    ) -> FlaskClient:
        """A client signed in as a new staff account with ``role`` in ``program`` (``scope``: one office only)."""
        mobile = next(STAFF_MOBILES)
        with self.app.test_request_context(), self.db() as db:
            create_staff(
                db,
                username=username,
                full_name=f"{username.title()} Staff",
                mobile=mobile,
                password=STAFF_PASSWORD,
                roles={program: role},
                scopes={program: scope} if scope else None,
            )
            db.commit()
        client = self.app.test_client()
        first = client.post("/backoffice/sign-in", data={"username": username, "password": STAFF_PASSWORD})
        assert first.status_code == 303, text(first)
        second = client.post("/backoffice/sign-in/code", data={"code": latest_code(self.app, mobile)})
        assert second.status_code == 303, text(second)
        return client

    # -- the form engine -----------------------------------------------------------------------

    def submit(self, client: FlaskClient, service: str, steps: dict[str, dict[str, Any]]) -> str:
        """Fill ``service``'s form step by step through the pages, send it, and return the new reference.

        ``steps`` maps step slug -> form data (a file as ``(BytesIO(...), "name.pdf")``).
        """
        base = f"/apply/musaned/{service}/"
        start = client.get(base)
        assert start.status_code == 303, text(start)
        for slug, data in steps.items():
            saved = client.post(base + slug, data=data, content_type="multipart/form-data")
            assert saved.status_code == 303, text(saved)
        check = client.get(base + "check")
        assert check.status_code == 200, text(check)
        key = re.search(r'name="submission_key" value="([^"]+)"', text(check))
        assert key is not None, text(check)
        sent = client.post(base + "check", data={"submission_key": key.group(1)})
        assert sent.status_code == 303, text(sent)
        reference = sent.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        return reference

    def application(self, reference: str) -> Application:
        with self.db() as db:
            application = db.scalars(select(Application).where(Application.reference == reference)).one()
            db.expunge(application)
            return application

    def bill_number(self, reference: str) -> str:
        with self.db() as db:
            application = db.scalars(select(Application).where(Application.reference == reference)).one()
            bill = db.scalars(select(Bill).where(Bill.application_id == application.id)).one()
            return bill.bill_number

    def pay(self, client: FlaskClient, reference: str) -> None:
        """The citizen pays the application's bill with the sandbox's "Pay now"."""
        paid = client.post(f"/payments/bills/{self.bill_number(reference)}/sandbox-pay")
        assert paid.status_code == 303, text(paid)

    def move(self, staff: FlaskClient, reference: str, target: str, comment: str = "") -> Any:
        """A staff member moves the application to ``target`` from its back-office page."""
        return staff.post(
            f"/backoffice/musaned/applications/{reference}/transition",
            data={"target": target, "comment": comment},
        )


@pytest.fixture
def musaned(make_app: Callable[..., Flask], tmp_path: Any) -> Musaned:
    app = make_app(
        PLUGINS="musaned",
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
    )
    if "gateway.backoffice" not in app.extensions:
        init_backoffice(app)
    return Musaned(app=app)
