"""Test kit: an application's bills, paid the way a citizen pays in the sandbox ("Pay now").

The payment goes through the bill page's sandbox button (the signed-in owner
only, never in production), so what follows a payment (the ``on_payment``
transition, the notification) happens as it would for a real payment::

    from bawaba_sdk.testing.payments import bills, pay_application

    def test_the_fee_is_billed_and_paid(make_portal, sign_in_as):
        ...  # reference = walk.submit()
        assert [bill.amount for bill in bills(app, reference)] == [Decimal("15.00")]
        pay_application(citizen, reference)
        assert bills(app, reference)[0].status == "paid"
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .host_kit import BillView, host_kit


def bills(app: Any, reference: str) -> list[BillView]:
    """The application's bills, oldest first (number, amount in SAR, status)."""
    return host_kit().bills(app, reference)


def pay_bill(client: FlaskClient, bill_number: str) -> None:
    """The signed-in ``client`` presses the sandbox's "Pay now" on bill ``bill_number``; fails unless accepted."""
    response = client.post(f"/payments/bills/{bill_number}/sandbox-pay")
    if response.status_code != 303:
        raise AssertionError(f"paying bill {bill_number} answered {response.status}")


def pay_application(client: FlaskClient, reference: str) -> BillView:
    """Pay the application's newest unpaid bill as the signed-in ``client`` (its owner); the bill, now paid.

    Fails when the application has no unpaid bill.
    """
    unpaid = [bill for bill in bills(client.application, reference) if bill.status == "unpaid"]
    if not unpaid:
        raise AssertionError(f"application {reference} has no unpaid bill")
    pay_bill(client, unpaid[-1].number)
    return next(bill for bill in bills(client.application, reference) if bill.number == unpaid[-1].number)


__all__ = ["BillView", "bills", "pay_application", "pay_bill"]
