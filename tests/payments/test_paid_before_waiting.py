"""A bill paid before the workflow waits for it: the ``on_payment`` move is made when the state is reached.

The ``engine`` probe's ticket is billed its advance on submission, but only
waits for it once the office accepted it: ``submitted`` -(staff)->
``accepted`` -(system, on payment)-> ``in_progress``. Paying early must not
be forgotten; paying late moves it as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.payments.models import PAID
from tests.forms.engine_portal import EN, EnginePortal, text


@pytest.fixture
def engine(make_app: Callable[..., Flask], tmp_path: Path) -> EnginePortal:
    return EnginePortal.build(make_app, tmp_path)


def _accept(staff: FlaskClient, reference: str) -> None:
    answer = staff.post(
        f"/backoffice/engine/applications/{reference}/transition", data={"target": "accepted"}, headers=EN
    )
    assert answer.status_code == 303, text(answer)


def _moves(engine: EnginePortal, reference: str) -> list[tuple[str, str, str]]:
    return [(event.source, event.target, event.actor.split(":")[0]) for event in engine.application(reference).events]


def test_a_bill_paid_early_moves_the_application_on_as_soon_as_staff_accept_it(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    (bill,) = engine.bills()
    assert ahmed.post(f"/payments/bills/{bill.bill_number}/sandbox-pay").status_code == 303
    assert engine.bills()[0].status == PAID
    assert engine.application(reference).state == "submitted"  # nothing waits for the payment yet
    staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    _accept(staff, reference)
    application = engine.application(reference)
    assert application.state == "in_progress"
    told = text(staff.get(f"/backoffice/engine/applications/{reference}", headers=EN))
    assert "The application is now: Being handled." in told  # where it is, not the step it passed through
    assert _moves(engine, reference) == [
        ("draft", "submitted", "person"),
        ("submitted", "accepted", "staff"),
        ("accepted", "in_progress", "system"),
    ]
    assert application.events[1].actor == f"staff:{staff_id}"
    assert application.events[-1].comment == f"Bill {bill.bill_number} already paid"
    assert application.extra["ticket_number"] == "T-000042"  # the hook ran for the staff move
    page = text(ahmed.get(f"/applications/{reference}", headers=EN))
    assert "Being handled" in page and "Pay the fee for this application" not in page


def test_an_unpaid_bill_is_waited_for_then_moves_the_application(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    _staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    _accept(staff, reference)
    assert engine.application(reference).state == "accepted"
    assert "Pay the fee for this application" in text(ahmed.get(f"/applications/{reference}", headers=EN))
    (bill,) = engine.bills()
    assert ahmed.post(f"/payments/bills/{bill.bill_number}/sandbox-pay").status_code == 303
    assert engine.application(reference).state == "in_progress"
    assert _moves(engine, reference)[-1] == ("accepted", "in_progress", "system")


def test_an_early_payment_does_not_move_an_application_that_goes_elsewhere(engine: EnginePortal) -> None:
    """Only the state that waits for payment moves on: a rejected ticket stays rejected, paid or not."""
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    (bill,) = engine.bills()
    assert ahmed.post(f"/payments/bills/{bill.bill_number}/sandbox-pay").status_code == 303
    _staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    rejected = staff.post(
        f"/backoffice/engine/applications/{reference}/transition", data={"target": "rejected", "comment": "Duplicate"}
    )
    assert rejected.status_code == 303
    assert engine.application(reference).state == "rejected"
    assert [target for _source, target, _actor in _moves(engine, reference)] == ["submitted", "rejected"]


def test_the_portals_payment_entry_reads_in_the_readers_language(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    _staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    _accept(staff, reference)
    (bill,) = engine.bills()
    assert ahmed.post(f"/payments/bills/{bill.bill_number}/sandbox-pay").status_code == 303

    english = text(ahmed.get(f"/applications/{reference}", headers=EN))
    arabic = text(ahmed.get(f"/applications/{reference}", headers={"Accept-Language": "ar"}))
    staff_arabic = text(staff.get(f"/backoffice/engine/applications/{reference}", headers={"Accept-Language": "ar"}))

    assert f"Bill {bill.bill_number} paid" in english
    assert f"سُدِّدت الفاتورة {bill.bill_number}" in arabic and f"Bill {bill.bill_number}" not in arabic
    assert f"سُدِّدت الفاتورة {bill.bill_number}" in staff_arabic
