"""Fixtures for the payments tests: a portal with the toll-probe program, people and applications.

Applications are made with the real ``submit_application`` of the
applications part; bills with the real ``create_bill``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from gateway.identity.models import Person
from gateway.identity.people import person_by_id_number, person_from_registry
from gateway.payments.extension import init_payments
from gateway.payments.models import Bill
from gateway.payments.service import create_bill
from tests.sample_plugins import entry_points

TOLL_PROBE = "tests.sample_plugins.toll_probe"
SECRET = "a-shared-secret-for-payment-callbacks"
AHMED_ID = "1000000008"
RAJESH_ID = "2000000006"


def build_payments_app(make_app: Callable[..., Flask], **overrides: Any) -> Flask:
    """A migrated portal with the toll-probe program and payments wired in (by the lead or here)."""
    config: dict[str, Any] = {
        "PLUGINS": "tollprobe",
        "PLUGIN_ENTRY_POINTS": entry_points(tollprobe=TOLL_PROBE),
        "PAYMENT_CALLBACK_SECRET": SECRET,
        "RATE_LIMIT_SIGNIN": "1000/minute",
        "RATE_LIMIT_REGISTRATION": "1000/minute",
        "RATE_LIMIT_CODES": "1000/minute",
    }
    config.update(overrides)
    app = make_app(**config)
    if "gateway.payments" not in app.extensions:
        init_payments(app)
    return app


@pytest.fixture
def pay_app(make_app: Callable[..., Flask]) -> Flask:
    return build_payments_app(make_app)


def person(db: Session, app: Flask, id_number: str = AHMED_ID) -> Person:
    """The person with ``id_number``, made from the sandbox registry if the portal does not know them yet."""
    existing = person_by_id_number(db, id_number)
    if existing is not None:
        return existing
    record = app.extensions["gateway"].registry.lookup(id_number)
    assert record is not None
    made = person_from_registry(record)
    db.add(made)
    db.flush()
    return made


def submit(db: Session, applicant: Person, service_slug: str = "permit") -> Any:
    """A submitted toll-probe application of ``applicant`` (flushed, not committed)."""
    from gateway.applications.service import submit_application
    from tests.sample_plugins.toll_probe import PROGRAM

    service = PROGRAM.service(service_slug)
    assert service is not None
    return submit_application(
        db,
        person=applicant,
        program=PROGRAM,
        service=service,
        answers={"road": "Riyadh-Dammam"},
        submission_key=secrets.token_hex(16),
    )


def new_bill(app: Flask, id_number: str = AHMED_ID, amount: str = "150.50", **kwargs: Any) -> str:
    """Commit an application with a bill for the person with ``id_number``; return the bill number."""
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        applicant = person(db, app, id_number)
        application = submit(db, applicant)
        bill = create_bill(db, application=application, amount=Decimal(amount), person_id=applicant.id, **kwargs)
        db.commit()
        return bill.bill_number


def load_bill(app: Flask, bill_number: str) -> Bill:
    with app.extensions["gateway"].database.session_factory() as db:
        from sqlalchemy import select

        bill = db.scalars(select(Bill).where(Bill.bill_number == bill_number)).one()
        db.expunge(bill)
        return bill
