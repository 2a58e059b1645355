"""Reviewing an application: transitions with a comment, requests for information, assignment, audit, bad input."""

from __future__ import annotations

from sqlalchemy import select

from gateway.applications.models import ApplicationEvent, ApplicationMessage
from gateway.audit.models import AuditEvent
from gateway.backoffice.models import ApplicationAssignment, StaffAccount
from tests.backoffice.conftest import Office, text

EN = {"Accept-Language": "en"}


def _audit(office: Office, event: str) -> list[AuditEvent]:
    with office.db() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.event == event)).all())


def _staff_id(office: Office, username: str) -> int:
    with office.db() as db:
        return db.scalars(select(StaffAccount.id).where(StaffAccount.username == username)).one()


def test_review_request_information_answer_and_approve(office: Office) -> None:
    citizen = office.ahmed()
    reference = office.probe_application("k-1")
    sara = office.signed_in("sara", {"probe": "reviewer"})
    base = f"/backoffice/probe/applications/{reference}"
    page = text(sara.get(base, headers=EN))
    assert 'value="in_review"' in page and 'value="approved"' not in page  # only what the workflow allows now

    assert sara.post(base + "/transition", data={"target": "in_review"}).status_code == 303
    assert office.application(reference).state == "in_review"
    assert sara.post(base + "/transition", data={"target": "needs_information"}).status_code == 400  # comment needed
    asked = sara.post(base + "/transition", data={"target": "needs_information", "comment": "Send the contract copy."})
    assert asked.status_code == 303
    assert office.application(reference).state == "needs_information"

    citizen_page = text(citizen.get(f"/applications/{reference}", headers=EN))
    assert "Send the contract copy." in citizen_page and "Answer the request for information" in citizen_page
    answered = citizen.post(f"/applications/{reference}/answer", data={"answer": "Attached at the office."})
    assert answered.status_code == 303
    assert office.application(reference).state == "in_review"
    assert "Attached at the office." in text(sara.get(base, headers=EN))

    assert sara.post(base + "/transition", data={"target": "rejected"}).status_code == 400  # reason required
    assert sara.post(base + "/transition", data={"target": "approved", "comment": "All good"}).status_code == 303
    assert office.application(reference).state == "approved"
    with office.db() as db:
        events = db.scalars(select(ApplicationEvent).order_by(ApplicationEvent.id)).all()
        staff_events = [event for event in events if event.actor_kind == "staff"]
        sara_id = _staff_id(office, "sara")
        assert [event.target for event in staff_events] == ["in_review", "needs_information", "approved"]
        assert all(event.actor == f"staff:{sara_id}" for event in staff_events)
        assert staff_events[1].comment == "Send the contract copy."
        messages = db.scalars(select(ApplicationMessage).order_by(ApplicationMessage.id)).all()
        assert [(message.author, message.body) for message in messages] == [
            ("staff", "Send the contract copy."),
            ("citizen", "Attached at the office."),
        ]
    audited = _audit(office, "backoffice.transition")
    assert [entry.details["target"] for entry in audited] == ["in_review", "needs_information", "approved"]
    assert all(entry.actor == f"staff:{sara_id}" and entry.details["reference"] == reference for entry in audited)
    assert all(entry.person_id == office.ahmed_id() for entry in audited)
    assert _audit(office, "backoffice.application_viewed")


def test_staff_cannot_make_citizen_or_undeclared_moves(office: Office) -> None:
    office.ahmed()
    reference = office.probe_application("k-1")
    sara = office.signed_in("sara", {"probe": "reviewer"})
    base = f"/backoffice/probe/applications/{reference}"
    assert sara.post(base + "/transition", data={"target": "withdrawn"}).status_code == 409  # a citizen's move
    assert sara.post(base + "/transition", data={"target": "approved", "comment": "x"}).status_code == 409  # too soon
    assert sara.post(base + "/transition", data={"target": "teleported"}).status_code == 400
    assert sara.post(base + "/transition", data={}).status_code == 400
    sara.post(base + "/transition", data={"target": "in_review"})
    sara.post(base + "/transition", data={"target": "needs_information", "comment": "More please"})
    assert sara.post(base + "/transition", data={"target": "in_review"}).status_code == 409  # the citizen answers
    assert office.application(reference).state == "needs_information"


def test_permits_waits_for_payment_before_staff_can_act(office: Office) -> None:
    citizen = office.ahmed()
    reference = office.permits_application(citizen)
    fahad = office.signed_in("fahad", {"permits": "reviewer"})
    page = text(fahad.get(f"/backoffice/permits/applications/{reference}", headers=EN))
    assert "No action is possible for staff at this stage." in page
    assert "150" in page  # the bill is shown
    answer = fahad.post(f"/backoffice/permits/applications/{reference}/transition", data={"target": "in_review"})
    assert answer.status_code == 409


def test_comment_is_escaped_and_limited(office: Office) -> None:
    citizen = office.ahmed()
    reference = office.probe_application("k-1")
    sara = office.signed_in("sara", {"probe": "reviewer"})
    base = f"/backoffice/probe/applications/{reference}"
    sara.post(base + "/transition", data={"target": "in_review"})
    huge = sara.post(base + "/transition", data={"target": "needs_information", "comment": "x" * 5000})
    assert huge.status_code == 400
    assert office.application(reference).state == "in_review"
    script = "<script>alert(1)</script>"
    assert sara.post(base + "/transition", data={"target": "needs_information", "comment": script}).status_code == 303
    for page in (text(sara.get(base)), text(citizen.get(f"/applications/{reference}"))):
        assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_huge_comment_is_refused_with_a_message(office: Office) -> None:
    office.ahmed()
    reference = office.probe_application("k-1")
    sara = office.signed_in("sara", {"probe": "reviewer"})
    base = f"/backoffice/probe/applications/{reference}"
    sara.post(base + "/transition", data={"target": "in_review"})
    huge = sara.post(base + "/transition", data={"target": "rejected", "comment": "x" * 5000}, headers=EN)
    assert huge.status_code == 400 and "Use at most 2000 characters." in text(huge)
    assert office.application(reference).state == "in_review"


def test_supervisor_assigns_reviewer_cannot(office: Office) -> None:
    office.ahmed()
    reference = office.probe_application("k-1")
    reviewer = office.signed_in("sara", {"probe": "reviewer"})
    supervisor = office.signed_in("huda", {"probe": "supervisor"})
    outsider_id, _mobile = office.staff("fahad", {"permits": "supervisor"})
    sara_id = _staff_id(office, "sara")
    base = f"/backoffice/probe/applications/{reference}"
    assert reviewer.post(base + "/assign", data={"staff_id": str(sara_id)}).status_code == 403
    assert 'name="staff_id"' not in text(reviewer.get(base))
    assert supervisor.post(base + "/assign", data={"staff_id": str(outsider_id)}).status_code == 400
    assert supervisor.post(base + "/assign", data={"staff_id": "abc"}).status_code == 400
    assert supervisor.post(base + "/assign", data={"staff_id": str(sara_id)}).status_code == 303
    huda_id = _staff_id(office, "huda")
    assert supervisor.post(base + "/assign", data={"staff_id": str(huda_id)}).status_code == 303
    with office.db() as db:
        assignment = db.scalars(select(ApplicationAssignment)).one()
        assert assignment.staff_id == huda_id and assignment.assigned_by == huda_id
    assert "Huda Staff" in text(reviewer.get("/backoffice/probe/queue", headers=EN))
    assert [entry.details["assignee"] for entry in _audit(office, "backoffice.assigned")] == [
        f"staff:{sara_id}",
        f"staff:{huda_id}",
    ]


def test_actions_need_the_csrf_token(office: Office) -> None:
    office.ahmed()
    reference = office.probe_application("k-1")
    sara = office.signed_in("sara", {"probe": "supervisor"})
    office.app.config["WTF_CSRF_ENABLED"] = True
    base = f"/backoffice/probe/applications/{reference}"
    assert sara.post(base + "/transition", data={"target": "in_review"}).status_code == 400
    assert sara.post(base + "/assign", data={"staff_id": "1"}).status_code == 400
    assert sara.post("/backoffice/sign-out").status_code == 400
    assert office.application(reference).state == "submitted"


def test_queue_filters_and_bad_filters(office: Office) -> None:
    office.ahmed()
    first = office.probe_application("k-1")
    second = office.probe_application("k-2")
    sara = office.signed_in("sara", {"probe": "reviewer"})
    sara.post(f"/backoffice/probe/applications/{first}/transition", data={"target": "in_review"})
    in_review = text(sara.get("/backoffice/probe/queue?state=in_review", headers=EN))
    assert f"/applications/{first}" in in_review and f"/applications/{second}" not in in_review
    by_reference = text(sara.get(f"/backoffice/probe/queue?reference={second.lower()}", headers=EN))
    assert f"/applications/{second}" in by_reference and f"/applications/{first}" not in by_reference
    future = text(sara.get("/backoffice/probe/queue?date_from=2999-01-01", headers=EN))
    assert "No applications match." in future
    today_on = text(sara.get("/backoffice/probe/queue?date_from=2000-01-01&date_to=2999-12-31", headers=EN))
    assert f"/applications/{first}" in today_on and f"/applications/{second}" in today_on
    for bad in (
        "state=<script>",
        "date_from=yesterday",
        "date_to=2026-02-30",
        "reference=nonsense",
        "page=0",
        "page=x",
    ):
        answer = sara.get(f"/backoffice/probe/queue?{bad}", headers=EN)
        assert answer.status_code == 400, bad
        assert "<script>" not in text(answer)


def test_queue_pages(office: Office) -> None:
    office.ahmed()
    references = [office.probe_application(f"k-{number}") for number in range(27)]
    sara = office.signed_in("sara", {"probe": "reviewer"})
    first = text(sara.get("/backoffice/probe/queue", headers=EN))
    second = text(sara.get("/backoffice/probe/queue?page=2", headers=EN))
    assert "27 applications" in first and "Page 1 of 2" in first and "page=2" in first
    shown = [reference for reference in references if f"/applications/{reference}" in first]
    rest = [reference for reference in references if f"/applications/{reference}" in second]
    assert len(shown) == 25 and len(rest) == 2 and not set(shown) & set(rest)
    assert "No applications match." in text(sara.get("/backoffice/probe/queue?page=3", headers=EN))


def test_staff_mark_a_sandbox_bill_paid_then_review(office: Office) -> None:
    import re

    citizen = office.ahmed()
    reference = office.permits_application(citizen)
    fahad = office.signed_in("fahad", {"permits": "reviewer"})
    base = f"/backoffice/permits/applications/{reference}"
    page = text(fahad.get(base, headers=EN))
    bill_number = re.search(r"/bills/(\d{12})/mark-paid", page)
    assert bill_number is not None, page
    outsider = office.signed_in("omar", {"probe": "supervisor"})
    assert outsider.post(f"{base}/bills/{bill_number.group(1)}/mark-paid").status_code == 404
    assert fahad.post(f"{base}/bills/{bill_number.group(1)}/mark-paid").status_code == 303
    assert office.application(reference).state == "fee_paid"
    assert fahad.post(f"{base}/bills/{bill_number.group(1)}/mark-paid").status_code == 303  # already paid: no change
    assert _audit(office, "backoffice.bill_marked_paid")
    assert fahad.post(base + "/transition", data={"target": "in_review"}).status_code == 303
    assert fahad.post(f"{base}/bills/000000000000/mark-paid").status_code == 404


def test_the_back_office_has_its_own_header_and_names_the_applicant(office: Office) -> None:
    office.ahmed()
    reference = office.probe_application("k-9")
    sara = office.signed_in("sara", {"probe": "reviewer"})
    page = text(sara.get(f"/backoffice/probe/applications/{reference}", headers=EN))
    header = page.split('<header class="site-header site-header--staff"', 1)[1].split("</header>", 1)[0]
    assert "Sign out of the back office" in header and "My programs" in header
    for citizen_link in ("Create an account", ">Sign in<", "My applications", "Notifications"):
        assert citizen_link not in page, citizen_link
    applicant = page.split('<section class="applicant"', 1)[1].split("</section>", 1)[0]
    assert 'id="applicant-name">Ahmed Al-Zahrani</dd>' in applicant
    assert 'id="applicant-id">1000000008</dd>' in applicant
    assert "Saudi Arabia" in applicant
    queue = text(sara.get("/backoffice/probe/queue", headers=EN))
    assert 'Ahmed Al-Zahrani · <span dir="ltr">1000000008</span>' in queue
    assert "<p>1 application</p>" in queue
