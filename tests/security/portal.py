"""The portals the attack suite hits: the real factory, the first-party plugins, real people and staff.

``build_portal`` makes an app exactly as the host's tests do (cheap Argon2id,
its own database), with Musaned, social security and GOSI enabled. ``World``
fills one with what attackers go after: two citizens with visa requests,
uploaded documents, bills, notifications, contracts with two different
offices and support tickets, and staff of each program plus two office users.
It is built once per test module (building it takes a few seconds), and the
tests only read it or try things that must be refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import create_app, migrate
from gateway.applications.models import Application
from gateway.backoffice.staff import create_staff
from gateway.cli import cli
from gateway.documents.models import Document
from gateway.payments.models import Bill
from tests.conftest import FIRST_PARTY
from tests.identity.conftest import latest_code
from tests.musaned.conftest import MINIMAL_PDF, STAFF_PASSWORD, Musaned

AHMED = "1000000008"
NOURA = "1000000081"
OFFICE_A = "ML-1001"
OFFICE_B = "ML-1002"
EN = {"Accept-Language": "en"}

RELAXED_LIMITS: dict[str, Any] = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
    "OTP_MAX_SENDS_PER_HOUR": 100,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR": 100,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_DAY": 1000,
    "OTP_RESEND_SECONDS": 0,
}
"""Limits out of the way, for the tests that are not about them (the brute-force tests set their own)."""


def portal_config(folder: Path, database_url: str, **overrides: Any) -> dict[str, Any]:
    """The host's test configuration (see ``tests/conftest.py``) with the first-party plugins."""
    config: dict[str, Any] = {
        "ENV": "testing",
        "INSTANCE_PATH": str(folder / "instance"),
        "DATABASE_URL": database_url,
        "PLUGINS": FIRST_PARTY,
        "PLUGINS_STRICT": True,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
        "ARGON2_PARALLELISM": 1,
        "DOCUMENT_STORAGE_PATH": str(folder / "documents"),
        **RELAXED_LIMITS,
    }
    config.update(overrides)
    return config


def build_portal(folder: Path, database_url: str, **overrides: Any) -> Flask:
    """A migrated portal on ``database_url`` (see :func:`portal_config`)."""
    app = create_app(portal_config(folder, database_url, **overrides))
    migrate.upgrade_app(app)
    return app


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def load_demo(app: Flask) -> None:
    """``gateway demo load``: the 16 fictional recruitment offices among the rest."""
    result = CliRunner().invoke(cli, ["demo", "load"], obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@dataclass
class Citizen:
    """A signed-in citizen and what they own."""

    client: FlaskClient
    id_number: str
    visa_request: str
    """An issued visa request (fee paid), with a document."""
    visa_number: str
    document: str
    contract: str
    """A mediation contract, with its advance still unpaid."""
    contract_bill: str
    ticket: str


@dataclass
class World:
    """A portal full of other people's things, and clients for each kind of visitor."""

    musaned: Musaned
    ahmed: Citizen
    noura: Citizen
    reviewer: FlaskClient
    """Musaned staff (reviewer, every office)."""
    gosi_staff: FlaskClient
    """A supervisor of GOSI, with no role in Musaned."""
    office_a: FlaskClient
    """Office user of ML-1001, where Ahmed's contract went."""
    office_b: FlaskClient
    """Office user of ML-1002, where Noura's contract went."""

    @property
    def app(self) -> Flask:
        return self.musaned.app

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.musaned.db() as session:
            yield session

    def application(self, reference: str) -> Application:
        return self.musaned.application(reference)

    def bill(self, number: str) -> Bill:
        with self.db() as session:
            bill = session.scalars(select(Bill).where(Bill.bill_number == number)).one()
            session.expunge(bill)
            return bill


def request_visa(musaned: Musaned, client: FlaskClient, nationality: str = "PH", city: str = "Riyadh") -> str:
    """A visa request through the host's form pages (with a PDF); its reference."""
    return musaned.submit(
        client,
        "new_visa",
        {
            "worker": {"worker_type": "housemaid", "nationality": nationality, "salary": "1500"},
            "household": {"household_size": "4", "dwelling_type": "villa", "region": "riyadh", "city": city},
            "capacity": {
                "proof_kind": "salary_certificate",
                "monthly_income": "18000",
                "proof": (BytesIO(MINIMAL_PDF), "salary.pdf"),
            },
        },
    )


def open_ticket(musaned: Musaned, client: FlaskClient, subject: str, message: str) -> str:
    """A support ticket through the host's form; its reference."""
    return musaned.submit(
        client,
        "support_tickets",
        {"ticket": {"category": "other", "related_reference": "", "subject": subject, "message": message}},
    )


def document_of(musaned: Musaned, reference: str) -> str:
    with musaned.db() as session:
        application = session.scalars(select(Application).where(Application.reference == reference)).one()
        document = session.scalars(select(Document).where(Document.application_id == application.id)).one()
        return document.public_id


def _citizen(musaned: Musaned, reviewer: FlaskClient, id_number: str, office: str) -> Citizen:
    client = musaned.citizen(id_number)
    visa_request = request_visa(musaned, client)
    musaned.pay(client, visa_request)
    for target in ("in_review", "issued"):
        moved = musaned.move(reviewer, visa_request, target)
        assert moved.status_code == 303, text(moved)
    visa_number = str(musaned.application(visa_request).extra["visa_number"])
    contract = musaned.submit(
        client, "mediation_contract", {"visa": {"visa": visa_number}, "office": {"office": office}}
    )
    ticket = open_ticket(musaned, client, "Where is my visa?", "I would like to know more about my request.")
    return Citizen(
        client=client,
        id_number=id_number,
        visa_request=visa_request,
        visa_number=visa_number,
        document=document_of(musaned, visa_request),
        contract=contract,
        contract_bill=musaned.bill_number(contract),
        ticket=ticket,
    )


def build_world(app: Flask) -> World:
    """Fill ``app`` with two citizens' applications and the staff who handle them."""
    load_demo(app)
    musaned = Musaned(app=app)
    reviewer = musaned.staff("reviewer1")
    return World(
        musaned=musaned,
        ahmed=_citizen(musaned, reviewer, AHMED, OFFICE_A),
        noura=_citizen(musaned, reviewer, NOURA, OFFICE_B),
        reviewer=reviewer,
        gosi_staff=musaned.staff("gosiboss", "supervisor", program="gosi"),
        office_a=musaned.staff("office1001", scope=OFFICE_A),
        office_b=musaned.staff("office1002", scope=OFFICE_B),
    )


def admin_client(app: Flask, username: str, mobile: str) -> FlaskClient:
    """A new back-office administrator (and Musaned supervisor), signed in through the real pages."""
    with app.test_request_context(), app.extensions["gateway"].database.session_factory() as db:
        create_staff(
            db,
            username=username,
            full_name=f"{username.title()} Admin",
            mobile=mobile,
            password=STAFF_PASSWORD,
            is_admin=True,
            roles={"musaned": "supervisor"},
        )
        db.commit()
    client = app.test_client()
    assert (
        client.post("/backoffice/sign-in", data={"username": username, "password": STAFF_PASSWORD}).status_code == 303
    )
    assert client.post("/backoffice/sign-in/code", data={"code": latest_code(app, mobile)}).status_code == 303
    return client


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert found is not None, "the page has no CSRF token"
    return found.group(1)
