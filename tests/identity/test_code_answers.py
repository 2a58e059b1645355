"""Issue 11 item 7: one answer for expired and wrong codes, 429 for the code cap, the owner told of a
registration with their ID, and long passphrases (NFKC) accepted."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from gateway.otp.models import OneTimeCode
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code, messages_to

EN = {"Accept-Language": "en"}
AR = {"Accept-Language": "ar"}


def error_of(response: object) -> str:
    text = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(r'<div class="error-summary".*?</div>', text, re.S)
    assert found, text[:500]
    return found.group(0)


def registered(portal: Portal) -> Portal:
    client = portal.client()
    portal.register(client)
    client.post("/account/sign-out")
    return portal


def start_sign_in(portal: Portal, password: str = GOOD_PASSWORD) -> FlaskClient:
    browser = portal.client()
    first = browser.post("/account/sign-in", data={"identifier": AHMED["id_number"], "password": password})
    assert first.status_code == 303, first.get_data(as_text=True)[:300]
    return browser


def test_an_expired_code_gets_the_same_answer_as_a_wrong_one(portal: Portal) -> None:
    registered(portal)
    browser = start_sign_in(portal)
    right = latest_code(portal.app, AHMED_MOBILE)
    wrong = browser.post("/account/sign-in/code", data={"code": f"{(int(right) + 1) % 1_000_000:06d}"}, headers=EN)
    with portal.app.extensions["gateway"].database.session_factory() as db:
        db.execute(update(OneTimeCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.commit()
    expired = browser.post("/account/sign-in/code", data={"code": right}, headers=EN)
    assert wrong.status_code == expired.status_code == 400
    assert error_of(wrong) == error_of(expired)
    assert "not correct or has expired" in error_of(expired)


def test_the_code_cap_answers_429_with_retry_after_and_the_flow_goes_on(make_app: Callable[..., Flask]) -> None:
    portal = Portal(
        make_app(
            RATE_LIMIT_SIGNIN="1000/minute",
            RATE_LIMIT_CODES="1000/minute",
            RATE_LIMIT_REGISTRATION="1000/minute",
            OTP_RESEND_SECONDS=0,
            OTP_MAX_SENDS_PER_HOUR=5,  # per person; the registration's code counts for the mobile only
            OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR=100,
            OTP_MAX_SENDS_PER_ADDRESS_PER_DAY=1000,
        )
    )
    registered(portal)
    browser = start_sign_in(portal)  # the first code
    for _ in range(4):
        assert browser.post("/account/sign-in/resend").status_code == 303
    sixth = browser.post("/account/sign-in/resend", headers=AR)
    assert sixth.status_code == 429
    assert 0 < int(sixth.headers["Retry-After"]) <= 3600
    page = sixth.get_data(as_text=True)
    assert 'lang="ar"' in page and "Too many codes" not in page, "the page is in the person's language"
    assert 'href="/account/sign-in/code"' in page
    english = browser.post("/account/sign-in/resend", headers=EN)
    assert english.status_code == 429 and "You have asked for too many codes" in english.get_data(as_text=True)
    code_page = browser.get("/account/sign-in/code", headers=EN)
    assert code_page.status_code == 200, "the flow is still usable"
    done = browser.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    assert done.status_code == 303 and browser.get("/account/").status_code == 200


def test_registering_an_id_with_an_account_answers_as_for_a_new_one_and_tells_the_owner(portal: Portal) -> None:
    registered(portal)
    before = {message.id for message in messages_to(portal.app, "ahmed@example.com")}
    stranger = portal.client()
    step = stranger.post("/account/register", data=AHMED, headers=EN)
    assert step.status_code == 303 and step.headers["Location"].endswith("/account/register/code")
    page = stranger.get("/account/register/code", headers=EN).get_data(as_text=True)
    assert "already" not in page
    notices = [m for m in messages_to(portal.app, "ahmed@example.com") if m.id not in before]
    sms = [m for m in messages_to(portal.app, AHMED_MOBILE) if "registering" in m.body]
    assert notices == [] and len(sms) == 1, "by SMS: the owner's email was never verified"
    assert "Someone started registering a Bawaba account with your ID number" in sms[0].body


def test_a_long_passphrase_is_accepted_and_normalised(make_app: Callable[..., Flask]) -> None:
    portal = Portal(make_app(RATE_LIMIT_SIGNIN="1000/minute", RATE_LIMIT_CODES="1000/minute"))
    passphrase = ("the quiet camel crosses the empty quarter at dawn " * 5)[:200]
    client = portal.client()
    assert client.post("/account/register", data=AHMED).status_code == 303
    assert (
        client.post("/account/register/code", data={"code": latest_code(portal.app, AHMED_MOBILE)}).status_code == 303
    )
    done = client.post(
        "/account/register/details",
        data={
            "username": "ahmed84",
            "password": passphrase,
            "password_confirmation": passphrase,
            "email": "ahmed@example.com",
            "mobile": "0501234567",
        },
    )
    assert done.status_code == 303, done.get_data(as_text=True)[:500]
    client.post("/account/sign-out")
    full_width = passphrase.replace("a", "\uff41")  # FULLWIDTH LATIN SMALL LETTER A: NFKC gives back "a"
    portal.sign_in(portal.client(), password=full_width)
    too_long = "x" * 257
    refused = portal.client().post("/account/sign-in", data={"identifier": AHMED["id_number"], "password": too_long})
    assert refused.status_code == 401
    with portal.app.extensions["gateway"].database.session_factory() as db:
        assert db.scalars(select(OneTimeCode)).first() is not None
