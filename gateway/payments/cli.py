"""``gateway payments``: mark sandbox bills paid and list bills (operators and developers).

With the sandbox there is no provider to call back, so an operator (or a
demo script) records a payment here; in production the same command records
a payment confirmed by other means, and the audit log names ``cli``.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..messaging.models import utc_now
from .models import UNPAID, Bill
from .numbers import is_valid_bill_number
from .service import BillNotPayable, PaymentError, bill_by_number, mark_paid

group = AppGroup("payments", help="Bills and payments.")


@group.command("mark-paid")
@click.argument("bill_number")
def mark_paid_command(bill_number: str) -> None:
    """Record that the bill BILL_NUMBER is paid (and move its application on)."""
    bill_number = bill_number.strip()
    if not is_valid_bill_number(bill_number):
        raise click.ClickException("A bill number is 12 digits with a valid check digit")
    with current_app.extensions["gateway"].database.session_factory() as db:
        bill = bill_by_number(db, bill_number)
        if bill is None:
            raise click.ClickException(f"No bill {bill_number}")
        try:
            paid = mark_paid(db, bill, source="cli")
        except BillNotPayable as exc:
            db.commit()
            raise click.ClickException(str(exc)) from exc
        except PaymentError as exc:
            raise click.ClickException(str(exc)) from exc
        db.commit()
    click.echo(f"Bill {bill_number} marked paid." if paid else f"Bill {bill_number} was already paid.")


@group.command("list")
@click.option("--unpaid", is_flag=True, help="Only bills still waiting for payment.")
def list_bills(unpaid: bool) -> None:
    """Bills, newest first: number, status, amount, due date, application and payer."""
    now = utc_now()
    with current_app.extensions["gateway"].database.session_factory() as db:
        query = select(Bill).order_by(Bill.id.desc())
        if unpaid:
            query = query.where(Bill.status == UNPAID, Bill.due_at > now)
        for bill in db.scalars(query):
            click.echo(
                f"{bill.bill_number}  {bill.effective_status(now):<9} {bill.amount:>12} {bill.currency}  "
                f"due {bill.due_at.date().isoformat()}  application {bill.application_id}  "
                f"{bill.paid_source or '-'}"
            )
