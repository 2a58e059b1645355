"""Sign-in with password and code, the same answer for every failure, locks, and sign-out everywhere."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.audit.models import AuditEvent
from gateway.identity.models import SignInFailures
from tests.identity.conftest import AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code

FAILED = "We could not sign you in with these details"


def registered(portal: Portal) -> Portal:
    client = portal.client()
    portal.register(client)
    client.post("/account/sign-out")
    return portal


def failure_text(client: FlaskClient, identifier: str, password: str) -> tuple[int, str]:
    response = client.post(
        "/account/sign-in", data={"identifier": identifier, "password": password}, headers={"Accept-Language": "en"}
    )
    text = response.get_data(as_text=True)
    match = re.search(r'<div class="error-summary".*?</div>', text, re.S)
    return response.status_code, match.group(0) if match else text


def test_sign_in_with_id_number_password_and_code_reaches_every_program(portal: Portal) -> None:
    registered(portal)
    client = portal.client()
    portal.sign_in(client)
    for path in ("/", "/musaned/", "/social_security/", "/gosi/", "/account/"):
        page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Ahmed Al-Zahrani" in page, path
        assert "Sign out" in page, path
    client.post("/account/sign-out")
    for path in ("/", "/musaned/", "/gosi/"):
        assert "Ahmed Al-Zahrani" not in client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert client.get("/account/").status_code == 303


def test_a_signed_out_cookie_cannot_be_replayed(portal: Portal) -> None:
    registered(portal)
    client = portal.client()
    portal.sign_in(client)
    cookie = client.get_cookie("bawaba_session")
    assert cookie is not None
    stolen = cookie.value
    client.post("/account/sign-out")
    replay = portal.client()
    replay.set_cookie("bawaba_session", stolen)
    assert replay.get("/account/").status_code == 303


def test_the_session_id_changes_at_sign_in(portal: Portal) -> None:
    registered(portal)
    client = portal.client()
    client.get("/account/sign-in")
    before = client.get_cookie("bawaba_session")
    portal.sign_in(client)
    after = client.get_cookie("bawaba_session")
    assert before is not None and after is not None
    assert before.value != after.value
    fixated = portal.client()
    fixated.set_cookie("bawaba_session", before.value)
    assert fixated.get("/account/").status_code == 303


def test_username_and_arabic_indic_id_sign_in(portal: Portal) -> None:
    registered(portal)
    portal.sign_in(portal.client(), identifier="AHMED84")
    portal.sign_in(portal.client(), identifier="١٠٠٠ ٠٠٠ ٠٠٨")


def test_unknown_account_wrong_password_and_locked_account_get_the_same_answer(portal: Portal) -> None:
    registered(portal)
    client = portal.client()
    wrong = failure_text(client, "1000000008", "not the password at all")
    unknown = failure_text(client, "1000000016", "not the password at all")
    unknown_name = failure_text(client, "nobody123", "not the password at all")
    assert wrong == unknown == unknown_name
    assert wrong[0] == 401
    assert FAILED in wrong[1]


def test_repeated_failures_lock_the_account_with_the_same_answer(make_app: Callable[..., Flask]) -> None:
    portal = Portal(
        make_app(
            RATE_LIMIT_SIGNIN="1000/minute",
            RATE_LIMIT_CODES="1000/minute",
            RATE_LIMIT_REGISTRATION="1000/minute",
            SIGNIN_FREE_FAILURES=20,
            SIGNIN_LOCK_AFTER=3,
        )
    )
    registered(portal)
    client = portal.client()
    for _ in range(3):
        assert failure_text(client, "1000000008", "wrong password here")[0] == 401
    locked = failure_text(client, "١٠٠٠٠٠٠٠٠٨", GOOD_PASSWORD)
    assert locked == failure_text(client, "1000000016", "wrong password here")
    assert latest_code_count(portal) == 1  # only the registration code: no sign-in code was sent
    with portal.app.extensions["gateway"].database.session_factory() as db:
        events = [event.event for event in db.scalars(select(AuditEvent))]
        assert "sign_in.locked" in events
        row = db.get(SignInFailures, "account:1")
        assert row is not None and row.locked_until is not None


def latest_code_count(portal: Portal) -> int:
    from tests.identity.conftest import messages_to

    return len([m for m in messages_to(portal.app, AHMED_MOBILE) if m.purpose == "sign_in"]) + 1


def test_growing_delays_after_the_free_failures(make_app: Callable[..., Flask]) -> None:
    portal = Portal(
        make_app(
            RATE_LIMIT_SIGNIN="1000/minute",
            RATE_LIMIT_CODES="1000/minute",
            RATE_LIMIT_REGISTRATION="1000/minute",
            SIGNIN_FREE_FAILURES=1,
            SIGNIN_LOCK_AFTER=50,
        )
    )
    registered(portal)
    client = portal.client()
    failure_text(client, "1000000008", "wrong password one")
    failure_text(client, "1000000008", "wrong password two")
    # The next try comes within the enforced delay: even the right password is refused, with the same answer.
    status, text = failure_text(client, "1000000008", GOOD_PASSWORD)
    assert status == 401
    assert FAILED in text


def test_a_code_meant_for_one_purpose_is_refused_for_another(portal: Portal) -> None:
    registered(portal)
    client = portal.client()
    client.post("/account/recover", data={"id_number": "1000000008"})
    reset_code = latest_code(portal.app, AHMED_MOBILE)
    client.post("/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD})
    sign_in_code = latest_code(portal.app, AHMED_MOBILE)
    refused = client.post("/account/sign-in/code", data={"code": reset_code})
    assert refused.status_code == 400
    assert client.post("/account/sign-in/code", data={"code": sign_in_code}).status_code == 303


def test_missing_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post(
        "/account/sign-in", data={"identifier": "1000000008", "password": "x" * 10}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_next_only_redirects_inside_the_portal(portal: Portal) -> None:
    registered(portal)
    client = portal.client()
    client.post(
        "/account/sign-in",
        data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": "https://evil.example/"},
    )
    done = client.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    assert done.headers["Location"] == "/account/"
    client.post("/account/sign-out")
    client.post("/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": "/gosi/"})
    done = client.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    assert done.headers["Location"] == "/gosi/"


def test_rate_limit_on_sign_in_answers_429_with_retry_after(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATE_LIMIT_SIGNIN="2/minute")
    client = app.test_client()
    for _ in range(2):
        client.post("/account/sign-in", data={"identifier": "x1234", "password": "whatever password"})
    limited = client.post(
        "/account/sign-in",
        data={"identifier": "x1234", "password": "whatever password"},
        headers={"Accept-Language": "en"},
    )
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many requests" in limited.get_data(as_text=True)


def test_signing_out_says_so_once(portal: Portal) -> None:
    client = portal.client()
    portal.register(client)
    signed_out = client.post("/account/sign-out", headers={"Accept-Language": "en"}, follow_redirects=True)
    text = signed_out.get_data(as_text=True)
    assert signed_out.status_code == 200
    assert "You are signed out." in text
    assert "Sign out</button>" not in text
    assert "You are signed out." not in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
