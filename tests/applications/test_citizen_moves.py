"""The citizen's own moves of a service (``POST /applications/<ref>/move``), comments they need, and extra values.

The ``engine`` probe's ticket: staff accept it (recording a ticket number and
an internal score), the advance paid moves it to "being handled", staff send
an answer (a comment is required), then the citizen replies (a comment is
required) or closes it. Only ``Ticket number`` is declared in
``extra_labels``; the score stays internal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.forms.engine_portal import EN, EnginePortal, text
from tests.sample_plugins.engine_probe import TICKET_NUMBER


@pytest.fixture
def engine(make_app: Callable[..., Flask], tmp_path: Path) -> EnginePortal:
    return EnginePortal.build(make_app, tmp_path)


def _staff_move(staff: FlaskClient, reference: str, target: str, comment: str = "") -> int:
    answer = staff.post(
        f"/backoffice/engine/applications/{reference}/transition", data={"target": target, "comment": comment}
    )
    return int(answer.status_code)


def _answered_ticket(engine: EnginePortal) -> tuple[FlaskClient, FlaskClient, str]:
    """Ahmed's ticket, accepted, paid and answered by the office; his client, the staff client, its reference."""
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    _staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    assert _staff_move(staff, reference, "accepted") == 303
    (bill,) = engine.bills()
    assert ahmed.post(f"/payments/bills/{bill.bill_number}/sandbox-pay").status_code == 303
    assert engine.application(reference).state == "in_progress"
    assert _staff_move(staff, reference, "answered", "Bring the warranty card.") == 303
    return ahmed, staff, reference


def _move(client: FlaskClient, reference: str, target: str, comment: str = "") -> tuple[int, str]:
    answer = client.post(f"/applications/{reference}/move", data={"target": target, "comment": comment}, headers=EN)
    return answer.status_code, text(answer)


def test_the_application_page_offers_the_services_own_moves_only_when_they_are_possible(
    engine: EnginePortal,
) -> None:
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    submitted = text(ahmed.get(f"/applications/{reference}", headers=EN))
    assert "What you can do" not in submitted  # only withdrawing, which has its own page
    assert "Withdraw this application" in submitted
    for target in ("closed", "in_progress", "withdrawn", "accepted", "nowhere"):
        status, page = _move(ahmed, reference, target)
        assert status == 409 and "This action is not possible now." in page
    assert engine.application(reference).state == "submitted"


def test_a_move_that_needs_a_comment_is_refused_without_one(engine: EnginePortal) -> None:
    ahmed, _staff, reference = _answered_ticket(engine)
    page = text(ahmed.get(f"/applications/{reference}", headers=EN))
    assert "What you can do" in page
    assert "Reply to the office" in page and "Close the ticket" in page
    assert 'name="target" value="in_progress"' in page and 'name="target" value="closed"' in page
    assert "Bring the warranty card." in page  # the office's comment, in the history
    for empty in ("", "   \u200b  "):
        status, refused = _move(ahmed, reference, "in_progress", empty)
        assert status == 400
        assert "Write a few words: the program&#39;s staff will read them." in refused
    assert engine.application(reference).state == "answered"
    status, _page = _move(ahmed, reference, "in_progress", "x" * 2001)
    assert status == 400
    answer = ahmed.post(f"/applications/{reference}/move", data={"target": "in_progress", "comment": "It is attached."})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/applications/{reference}")
    application = engine.application(reference)
    assert application.state == "in_progress"
    last = application.events[-1]
    assert (last.source, last.target, last.comment) == ("answered", "in_progress", "It is attached.")
    assert last.actor == f"person:{engine.person().id}"
    assert "It is attached." in text(ahmed.get(f"/applications/{reference}", headers=EN))


def test_a_move_without_a_comment_and_the_end_of_the_road(engine: EnginePortal) -> None:
    ahmed, _staff, reference = _answered_ticket(engine)
    closed = ahmed.post(f"/applications/{reference}/move", data={"target": "closed"})
    assert closed.status_code == 303
    assert engine.application(reference).state == "closed"
    page = text(ahmed.get(f"/applications/{reference}", headers=EN))
    assert "What you can do" not in page and "Withdraw this application" not in page
    assert _move(ahmed, reference, "in_progress", "One more thing")[0] == 409


def test_someone_else_s_application_cannot_be_moved(engine: EnginePortal) -> None:
    _ahmed, _staff, reference = _answered_ticket(engine)
    rajesh = engine.rajesh()
    assert _move(rajesh, reference, "closed")[0] == 404
    assert _move(rajesh, "TKT-ZZZZZZZZ", "closed")[0] == 404
    visitor = engine.app.test_client().post(f"/applications/{reference}/move", data={"target": "closed"})
    assert visitor.status_code in (302, 303) and "/account/sign-in" in visitor.headers["Location"]
    assert engine.application(reference).state == "answered"


def test_staff_moves_that_need_a_comment_are_refused_without_one(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    _staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    assert _staff_move(staff, reference, "accepted") == 303  # no comment needed
    (bill,) = engine.bills()
    assert ahmed.post(f"/payments/bills/{bill.bill_number}/sandbox-pay").status_code == 303
    refused = staff.post(
        f"/backoffice/engine/applications/{reference}/transition",
        data={"target": "answered", "comment": "  "},
        headers=EN,
    )
    assert refused.status_code == 400 and "Write a comment: the applicant will read it." in text(refused)
    assert engine.application(reference).state == "in_progress"
    assert _staff_move(staff, reference, "answered", "Here is the answer.") == 303
    assert engine.application(reference).state == "answered"


def test_only_the_declared_extra_values_are_shown_with_their_labels(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    reference = engine.ticket(ahmed)
    _staff_id, staff = engine.staff("rania", {"engine": "reviewer"})
    assert _staff_move(staff, reference, "accepted") == 303
    extra = engine.application(reference).extra
    assert extra == {"ticket_number": TICKET_NUMBER, "internal_score": "seven-of-ten"}
    citizen_page = text(ahmed.get(f"/applications/{reference}", headers=EN))
    staff_page = text(staff.get(f"/backoffice/engine/applications/{reference}", headers=EN))
    for page in (citizen_page, staff_page):
        assert f'<dt>Ticket number</dt><dd dir="auto">{TICKET_NUMBER}</dd>' in page
        assert "internal_score" not in page and "seven-of-ten" not in page  # not declared: internal
        assert "Handled by" not in page and "ticket_number" not in page  # declared but not recorded; no raw keys
