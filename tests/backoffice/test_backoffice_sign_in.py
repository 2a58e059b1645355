"""Staff sign-in: password then a code by SMS, one message for every failure, a separate session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.audit.models import AuditEvent
from gateway.backoffice import init_backoffice
from gateway.backoffice.models import StaffAccount
from tests.backoffice.conftest import STAFF_PASSWORD, Office, text
from tests.identity.conftest import Portal, latest_code, messages_to
from tests.sample_plugins import entry_points

EN = {"Accept-Language": "en"}
SAME_MESSAGE = "We could not sign you in with these details."


def test_password_then_code_signs_in_and_out(office: Office) -> None:
    staff_id, mobile = office.staff("sara", {"probe": "reviewer"})
    client = office.app.test_client()
    assert client.get("/backoffice/").status_code == 303  # not signed in: to the sign-in page
    first = client.post("/backoffice/sign-in", data={"username": "Sara", "password": STAFF_PASSWORD})
    assert first.status_code == 303 and first.headers["Location"].endswith("/backoffice/sign-in/code")
    assert client.get("/backoffice/").status_code == 303  # the password alone is not enough
    sms = messages_to(office.app, mobile)
    assert len(sms) == 1 and sms[0].channel == "sms"
    done = client.post("/backoffice/sign-in/code", data={"code": latest_code(office.app, mobile)})
    assert done.status_code == 303
    home = client.get("/backoffice/", headers=EN)
    assert home.status_code == 200 and "/backoffice/probe/queue" in text(home)
    with client.session_transaction() as session:
        assert session["staff_id"] == staff_id and "person_id" not in session
    with office.db() as db:
        account = db.get(StaffAccount, staff_id)
        assert account is not None and account.last_sign_in_at is not None
        events = [event.event for event in db.scalars(select(AuditEvent)).all()]
        assert "backoffice.signed_in" in events
    assert client.post("/backoffice/sign-out").status_code == 303
    assert client.get("/backoffice/").status_code == 303


def test_same_message_for_unknown_wrong_and_deactivated(office: Office) -> None:
    office.staff("sara", {"probe": "reviewer"})
    staff_id, _mobile = office.staff("omar", {"probe": "reviewer"})
    with office.db() as db:
        account = db.get(StaffAccount, staff_id)
        assert account is not None
        account.active = False
        db.commit()
    client = office.app.test_client()
    answers = [
        client.post("/backoffice/sign-in", data={"username": name, "password": password}, headers=EN)
        for name, password in (("nobody", STAFF_PASSWORD), ("sara", "wrong password here"), ("omar", STAFF_PASSWORD))
    ]
    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert all(SAME_MESSAGE in text(answer) for answer in answers)


def test_locked_account_gets_the_same_message_even_with_the_right_password(office: Office) -> None:
    office.app.config["GATEWAY_SIGNIN_LOCK_AFTER"] = 3
    office.app.config["GATEWAY_SIGNIN_FREE_FAILURES"] = 5
    _staff_id, mobile = office.staff("sara", {"probe": "reviewer"})
    client = office.app.test_client()
    for _ in range(3):
        client.post("/backoffice/sign-in", data={"username": "sara", "password": "not the password"})
    locked = client.post("/backoffice/sign-in", data={"username": "sara", "password": STAFF_PASSWORD}, headers=EN)
    assert locked.status_code == 401 and SAME_MESSAGE in text(locked)
    assert messages_to(office.app, mobile) == []


def test_wrong_code_and_empty_fields(office: Office) -> None:
    _staff_id, mobile = office.staff("sara", {"probe": "reviewer"})
    client = office.app.test_client()
    assert client.post("/backoffice/sign-in", data={"username": "", "password": ""}).status_code == 400
    assert client.post("/backoffice/sign-in/code", data={"code": "123456"}).status_code == 303  # no flow yet
    client.post("/backoffice/sign-in", data={"username": "sara", "password": STAFF_PASSWORD})
    real = latest_code(office.app, mobile)
    wrong = "000000" if real != "000000" else "111111"
    assert client.post("/backoffice/sign-in/code", data={"code": wrong}).status_code == 400
    assert client.post("/backoffice/sign-in/code", data={"code": "12"}).status_code == 400
    assert client.get("/backoffice/").status_code == 303
    huge = client.post("/backoffice/sign-in", data={"username": "x" * 5000, "password": "y" * 5000})
    assert huge.status_code == 401


def test_a_citizen_session_is_not_a_staff_session(office: Office) -> None:
    citizen = office.ahmed()
    assert citizen.get("/backoffice/").status_code == 303
    assert citizen.get("/backoffice/probe/queue").status_code == 303


def test_deactivation_ends_access_at_once(office: Office) -> None:
    client = office.signed_in("sara", {"probe": "reviewer"})
    assert client.get("/backoffice/probe/queue").status_code == 200
    with office.db() as db:
        account = db.scalars(select(StaffAccount).where(StaffAccount.username == "sara")).one()
        account.active = False
        db.commit()
    assert client.get("/backoffice/probe/queue").status_code == 303


def test_pages_render_in_arabic(office: Office) -> None:
    client = office.signed_in("sara", {"probe": "reviewer"})
    client.set_cookie("lang", "ar")
    for path in ("/backoffice/", "/backoffice/probe/queue"):
        answer = client.get(path)
        assert answer.status_code == 200 and 'dir="rtl"' in text(answer)
    assert 'dir="rtl"' in text(office.app.test_client().get("/backoffice/sign-in", headers={"Accept-Language": "ar"}))


def test_the_staff_code_cap_answers_429_with_retry_after_and_the_flow_goes_on(make_app: Any) -> None:
    """Past the hourly cap staff get what citizens get: a 429 with Retry-After; the code sent before still works."""
    app = make_app(
        PLUGINS="probe",
        PLUGIN_ENTRY_POINTS=entry_points(probe="tests.sample_plugins.workflow_probe"),
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        OTP_RESEND_SECONDS=0,
        OTP_MAX_SENDS_PER_HOUR=3,
        OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR=100,
        OTP_MAX_SENDS_PER_ADDRESS_PER_DAY=1000,
    )
    if "gateway.backoffice" not in app.extensions:
        init_backoffice(app)
    office = Office(app=app, portal=Portal(app))
    _, mobile = office.staff("sara", {"probe": "reviewer"})
    client = app.test_client()
    assert client.post("/backoffice/sign-in", data={"username": "sara", "password": STAFF_PASSWORD}).status_code == 303
    for _ in range(2):
        assert client.post("/backoffice/sign-in/resend").status_code == 303
    fourth = client.post("/backoffice/sign-in/resend", headers=EN)
    assert fourth.status_code == 429
    assert 0 < int(fourth.headers["Retry-After"]) <= 3600
    assert 'href="/backoffice/sign-in/code"' in text(fourth)
    assert client.get("/backoffice/sign-in/code", headers=EN).status_code == 200, "the flow is still usable"
    done = client.post("/backoffice/sign-in/code", data={"code": latest_code(app, mobile)})
    assert done.status_code == 303 and client.get("/backoffice/").status_code == 200
