"""Issuing bills and recording payments: idempotency, mismatches, expiry, the on_payment move, the audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gateway.audit.models import AuditEvent
from gateway.messaging.models import utc_now
from gateway.payments.models import EXPIRED, PAID, UNPAID, Bill
from gateway.payments.numbers import is_valid_bill_number
from gateway.payments.service import (
    BillExpired,
    BillNotPayable,
    PaymentMismatch,
    create_bill,
    mark_paid,
    service_fee,
)
from tests.payments.conftest import RAJESH_ID, build_payments_app, person, submit


def test_a_bill_has_a_number_an_amount_and_a_due_date(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant)
        before = utc_now()
        bill = create_bill(db, application=application, amount=Decimal("150.5"), person_id=applicant.id)
        db.commit()
        stored = db.scalars(select(Bill)).one()
    assert is_valid_bill_number(stored.bill_number)
    assert stored.amount == Decimal("150.50") and stored.currency == "SAR" and stored.status == UNPAID
    assert stored.application_id == application.id and stored.person_id == applicant.id
    assert timedelta(days=7) <= stored.due_at - before < timedelta(days=7, minutes=1)
    assert bill.paid_at is None and bill.paid_source is None and bill.provider_reference is None


def test_the_validity_comes_from_the_configuration(make_app: Callable[..., Flask]) -> None:
    app = build_payments_app(make_app, PAYMENT_BILL_VALID_DAYS=2)
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        applicant = person(db, app)
        bill = create_bill(db, application=submit(db, applicant), amount=Decimal("10"), person_id=applicant.id)
        assert timedelta(days=1, hours=23) < bill.due_at - bill.created_at <= timedelta(days=2)


def test_one_unpaid_bill_per_application(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant)
        first = create_bill(db, application=application, amount=Decimal("150.50"), person_id=applicant.id)
        again = create_bill(db, application=application, amount=Decimal("150.50"), person_id=applicant.id)
        assert again.id == first.id
        with pytest.raises(PaymentMismatch):
            create_bill(db, application=application, amount=Decimal("99"), person_id=applicant.id)
        # The database itself refuses a second unpaid bill for the application.
        db.add(
            Bill(
                bill_number="000000000000",
                application_id=application.id,
                person_id=applicant.id,
                amount=Decimal("1"),
                due_at=utc_now(),
            )
        )
        with pytest.raises(IntegrityError):
            db.flush()
        db.rollback()


def test_an_overdue_bill_is_replaced_by_a_new_one(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant)
        old = create_bill(
            db, application=application, amount=Decimal("5"), person_id=applicant.id, now=utc_now() - timedelta(days=8)
        )
        new = create_bill(db, application=application, amount=Decimal("5"), person_id=applicant.id)
        assert new.id != old.id and old.status == EXPIRED and new.status == UNPAID


def test_a_bill_needs_a_real_amount(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant)
        for amount in ("0", "-1", "1.001", "abc", "NaN", "Infinity"):
            with pytest.raises(ValueError, match="amount"):
                create_bill(db, application=application, amount=amount, person_id=applicant.id)  # type: ignore[arg-type]
        assert db.scalars(select(Bill)).all() == []


def test_paying_moves_the_application_on_audits_and_is_idempotent(pay_app: Flask) -> None:
    from gateway.applications.models import ApplicationEvent

    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant)
        bill = create_bill(db, application=application, amount=Decimal("150.50"), person_id=applicant.id)
        db.commit()
        assert mark_paid(db, bill, source="cli", amount=Decimal("150.5")) is True
        db.commit()
        assert bill.status == PAID and bill.paid_source == "cli" and bill.paid_at is not None
        assert application.state == "fee_paid"
        moves = db.scalars(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)).all()
        last = moves[-1]
        assert (last.source, last.target, last.actor, last.actor_kind) == ("submitted", "fee_paid", "system", "system")
        audit = db.scalars(select(AuditEvent).where(AuditEvent.event == "payment.received")).one()
        assert audit.person_id == applicant.id and audit.actor == "cli"
        assert audit.details["bill_number"] == bill.bill_number and audit.details["amount"] == "150.50"

        paid_at = bill.paid_at
        assert mark_paid(db, bill, source="sandbox") is False
        db.commit()
        assert bill.paid_source == "cli" and bill.paid_at == paid_at
        assert len(db.scalars(select(AuditEvent).where(AuditEvent.event == "payment.received")).all()) == 1
        assert len(
            db.scalars(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)).all()
        ) == len(moves)


def test_a_workflow_without_on_payment_stays_where_it_is(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant, "inquiry")
        bill = create_bill(db, application=application, amount=Decimal("1"), person_id=applicant.id)
        assert mark_paid(db, bill, source="sandbox") is True
        assert application.state == "submitted"


def test_a_payment_of_another_amount_is_refused(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        bill = create_bill(db, application=submit(db, applicant), amount=Decimal("150.50"), person_id=applicant.id)
        with pytest.raises(PaymentMismatch):
            mark_paid(db, bill, source="provider:bank", amount=Decimal("150.00"))
        assert bill.status == UNPAID
        mark_paid(db, bill, source="provider:bank", amount=Decimal("150.50"), provider_reference="R1")
        with pytest.raises(PaymentMismatch):  # even once paid, a wrong amount is reported, not ignored
            mark_paid(db, bill, source="provider:bank", amount=Decimal("1.00"), provider_reference="R1")


def test_a_reference_already_used_for_another_bill_is_refused(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        first = create_bill(db, application=submit(db, applicant), amount=Decimal("5"), person_id=applicant.id)
        second = create_bill(db, application=submit(db, applicant), amount=Decimal("5"), person_id=applicant.id)
        mark_paid(db, first, source="provider:bank", provider_reference="SAME")
        with pytest.raises(PaymentMismatch, match="another bill"):
            mark_paid(db, second, source="provider:bank", provider_reference="SAME")
        assert second.status == UNPAID


def test_expired_and_cancelled_bills_cannot_be_paid(pay_app: Flask) -> None:
    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        applicant = person(db, pay_app)
        application = submit(db, applicant)
        long_ago = utc_now() - timedelta(days=30)
        bill = create_bill(db, application=application, amount=Decimal("5"), person_id=applicant.id, now=long_ago)
        with pytest.raises(BillExpired):
            mark_paid(db, bill, source="cli")
        assert bill.status == EXPIRED and application.state == "submitted"
        # A payment made before the due date but reported late is honoured.
        late = create_bill(
            db, application=application, amount=Decimal("5"), person_id=applicant.id, now=utc_now() - timedelta(days=8)
        )
        assert mark_paid(db, late, source="provider:bank", paid_at=late.due_at - timedelta(hours=1)) is True
        cancelled = create_bill(db, application=submit(db, applicant), amount=Decimal("5"), person_id=applicant.id)
        cancelled.status = "cancelled"
        with pytest.raises(BillNotPayable):
            mark_paid(db, cancelled, source="cli")


def test_the_fee_comes_from_the_program_s_settings(make_app: Callable[..., Flask]) -> None:
    from tests.sample_plugins.toll_probe import PROGRAM

    app = build_payments_app(make_app, TOLLPROBE_PERMIT_FEE="2000")
    with app.app_context():
        permit, inquiry = PROGRAM.services
        assert service_fee(PROGRAM, permit) == Decimal("2000")
        assert service_fee(PROGRAM, inquiry) is None
    free = build_payments_app(make_app, TOLLPROBE_PERMIT_FEE="0")
    with free.app_context():
        assert service_fee(PROGRAM, PROGRAM.services[0]) is None


def test_bills_belong_to_their_person(pay_app: Flask) -> None:
    from gateway.payments.service import bill_of

    with pay_app.app_context():
        db = pay_app.extensions["gateway"].db_session()
        ahmed = person(db, pay_app)
        rajesh = person(db, pay_app, RAJESH_ID)
        bill = create_bill(db, application=submit(db, ahmed), amount=Decimal("5"), person_id=ahmed.id)
        assert bill_of(db, ahmed.id, bill.bill_number) is bill
        assert bill_of(db, rajesh.id, bill.bill_number) is None
