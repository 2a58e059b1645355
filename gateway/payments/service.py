"""Issuing bills and recording payments.

Both functions only add to and flush the caller's session; the caller
commits, so a bill is created in the same transaction as its application and
a payment, its audit entry and the application's ``on_payment`` transition
are committed together or not at all.

Recording a payment is idempotent because providers retry callbacks and
people double-click: paying a paid bill again changes nothing and says so
(``False``). A payment that does not match the bill (another amount, a
reference already used for another bill) is refused, never silently taken.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk.program import Program, Service

from ..audit.log import record
from ..messaging.models import utc_now
from .models import CANCELLED, CURRENCY, EXPIRED, PAID, UNPAID, Bill
from .numbers import new_bill_number

logger = logging.getLogger("gateway.payments")

PAYMENT_RECEIVED = "payment.received"
"""The audit event written for every recorded payment."""
BILL_VALID_DAYS_KEY = "GATEWAY_PAYMENT_BILL_VALID_DAYS"
NUMBER_ATTEMPTS = 8
"""Collisions among 10^11 random numbers are rare; a few retries make one practically impossible."""


class PaymentError(Exception):
    """A bill could not be created or paid as asked."""


class PaymentMismatch(PaymentError):  # noqa: N818 - the public name says what happened
    """The payment does not match the bill (another amount, or a reference already used elsewhere)."""


class BillNotPayable(PaymentError):  # noqa: N818
    """The bill can no longer be paid (cancelled or expired)."""


class BillExpired(BillNotPayable):
    """The bill is past its due date."""


def create_bill(
    db: Session,
    *,
    application: Any,
    amount: Decimal,
    person_id: int,
    now: datetime | None = None,
    valid_days: int | None = None,
) -> Bill:
    """Issue the bill for ``application`` (flushed; the caller commits).

    An application has at most one unpaid bill: asking again for the same
    amount returns the open bill, so a resent submission never bills twice.
    An open bill past its due date is marked expired and a new one issued.
    ``valid_days`` defaults to ``GATEWAY_PAYMENT_BILL_VALID_DAYS``.

    :raises PaymentMismatch: the open bill is for another amount or person.
    :raises ValueError: the amount is not a positive number of riyals and halalas.
    """
    amount = _checked_amount(amount)
    now = now or utc_now()
    days = valid_days if valid_days is not None else int(current_app.config.get(BILL_VALID_DAYS_KEY, 7))
    open_bill = db.scalars(select(Bill).where(Bill.application_id == application.id, Bill.status == UNPAID)).first()
    if open_bill is not None:
        if open_bill.is_overdue(now):
            open_bill.status = EXPIRED
            db.flush()
        elif open_bill.amount == amount and open_bill.person_id == person_id:
            return open_bill
        else:
            raise PaymentMismatch(f"application {application.id} already has an unpaid bill for another amount")
    bill = Bill(
        bill_number=_unused_bill_number(db),
        application_id=application.id,
        person_id=person_id,
        amount=amount,
        currency=CURRENCY,
        status=UNPAID,
        created_at=now,
        due_at=now + timedelta(days=days),
    )
    db.add(bill)
    db.flush()
    return bill


def mark_paid(
    db: Session,
    bill: Bill,
    *,
    source: str,
    provider_reference: str | None = None,
    amount: Decimal | None = None,
    paid_at: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Record that ``bill`` is paid; ``True`` if it was, ``False`` if it already was (nothing changes).

    ``source`` says who recorded it: ``sandbox``, ``provider:<name>``,
    ``staff:<id>`` or ``cli``. ``amount``, when a provider states one, must
    equal the bill's. ``paid_at`` (the provider's time, never later than
    ``now``) decides whether the bill was still payable, so a payment made
    before the due date and reported after it is still honoured.

    On success the payment is audited and, if the service's workflow has an
    ``on_payment`` transition from the application's current state, the
    portal makes it as ``system``. Everything is flushed; the caller commits.

    :raises PaymentMismatch: another amount, or a reference already recorded for another bill.
    :raises BillExpired: the bill is past its due date (it is marked expired in the session).
    :raises BillNotPayable: the bill was cancelled.
    """
    now = now or utc_now()
    moment = min(paid_at, now) if paid_at is not None else now
    if amount is not None and _checked_amount(amount) != bill.amount:
        raise PaymentMismatch(f"bill {bill.bill_number} is for {bill.amount} {bill.currency}, not {amount}")
    if provider_reference is not None:
        other = db.scalars(
            select(Bill).where(Bill.provider_reference == provider_reference, Bill.id != bill.id)
        ).first()
        if other is not None:
            raise PaymentMismatch(f"reference {provider_reference!r} was already recorded for another bill")
    if bill.status == PAID:
        if provider_reference is not None and provider_reference != bill.provider_reference:
            logger.warning(
                "bill %s already paid (%s); another payment %r reported by %s needs a refund",
                bill.bill_number,
                bill.paid_source,
                provider_reference,
                source,
            )
        return False
    if bill.status == CANCELLED:
        raise BillNotPayable(f"bill {bill.bill_number} was cancelled")
    if bill.status == EXPIRED or bill.is_overdue(moment):
        bill.status = EXPIRED
        db.flush()
        raise BillExpired(f"bill {bill.bill_number} expired on {bill.due_at.isoformat()}")
    bill.status = PAID
    bill.paid_at = moment
    bill.paid_source = source
    bill.provider_reference = provider_reference
    db.flush()
    record(
        db,
        PAYMENT_RECEIVED,
        person_id=bill.person_id,
        actor=source,
        bill_number=bill.bill_number,
        amount=str(bill.amount),
        currency=bill.currency,
        application_id=bill.application_id,
        provider_reference=provider_reference,
    )
    _make_on_payment_transition(db, bill)
    return True


def bill_by_number(db: Session, bill_number: str) -> Bill | None:
    return db.scalars(select(Bill).where(Bill.bill_number == bill_number)).first()


def bill_of(db: Session, person_id: int, bill_number: str) -> Bill | None:
    """The person's own bill with this number, or ``None`` (also when it is someone else's)."""
    return db.scalars(select(Bill).where(Bill.bill_number == bill_number, Bill.person_id == person_id)).first()


def bills_of_application(db: Session, application_id: int) -> list[Bill]:
    return list(db.scalars(select(Bill).where(Bill.application_id == application_id).order_by(Bill.id)))


def service_fee(program: Program, service: Service) -> Decimal | None:
    """The fee the service declares through its ``fee_setting``, or ``None`` (no fee, or zero).

    Fees are plugin configuration (``GATEWAY_<SLUG>_<SETTING>``), read from
    the settings the host validated at start-up.
    """
    if service.fee_setting is None:
        return None
    settings = current_app.extensions["gateway"].settings_for(program.slug)
    value = settings.get(service.fee_setting)
    if value is None:
        return None
    fee = Decimal(value)
    return fee if fee > 0 else None


def _checked_amount(amount: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError(f"an amount must be positive with at most two decimal places, not {amount!r}")
    return value.quantize(Decimal("0.01"))


def _unused_bill_number(db: Session) -> str:
    for _attempt in range(NUMBER_ATTEMPTS):
        number = new_bill_number()
        if bill_by_number(db, number) is None:
            return number
    raise PaymentError("could not find an unused bill number")  # pragma: no cover - 10^11 numbers


def _make_on_payment_transition(db: Session, bill: Bill) -> None:
    """Move the application on if its workflow waits for payment in its current state."""
    from ..applications.models import Application
    from ..applications.service import transition
    from ..applications.workflow import service_workflow

    application = db.get(Application, bill.application_id)
    if application is None:  # pragma: no cover - the foreign key prevents it
        return
    service = _service_of(application.program, application.service)
    if service is None:
        logger.warning("bill %s paid, but program %s is not serving", bill.bill_number, application.program)
        return
    moves = [move for move in service_workflow(service).allowed(application.state, "system") if move.on_payment]
    if not moves:
        return
    transition(
        db,
        application,
        moves[0].target,
        actor="system",
        actor_kind="system",
        comment=f"Bill {bill.bill_number} paid",
    )


def _service_of(program_slug: str, service_slug: str) -> Service | None:
    for plugin in current_app.extensions["gateway"].plugins.serving():
        if plugin.program is not None and plugin.program.slug == program_slug:
            service: Service | None = plugin.program.service(service_slug)
            return service
    return None
