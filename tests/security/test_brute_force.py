"""Brute force on passwords and on one-time codes: delays, locks and 429s, with the real settings.

The settings are the production defaults unless a test says otherwise: 3
free failures, then a delay that doubles from 1 s; 10 failures lock the
account for 15 minutes; 50 from one address lock the address; 10 sign-in
posts a minute per address; 5 wrong tries kill a code; 5 codes per person
an hour. Each test shows the attacker's next try refused *even when it is
right*, which is what makes guessing hopeless, and that the refusal looks
like any other failure (the enumeration tests compare the pages).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.backoffice.models import StaffAccount
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code, messages_to
from tests.musaned.conftest import STAFF_PASSWORD, Musaned
from tests.security.portal import EN, text

DEFAULT_LIMITS: dict[str, Any] = {
    "RATE_LIMIT_SIGNIN": "10/minute;100/hour",
    "RATE_LIMIT_REGISTRATION": "10/minute;50/hour",
    "RATE_LIMIT_CODES": "10/minute;60/hour",
    "OTP_MAX_SENDS_PER_HOUR": 5,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR": 5,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_DAY": 10,
    "OTP_RESEND_SECONDS": 60,
}
RELAXED_RATE = {"RATE_LIMIT_SIGNIN": "1000/minute", "RATE_LIMIT_CODES": "1000/minute"}
"""For the tests of the lock and of code tries, so the per-address rate limit does not answer first."""
WRONG = "wrong guess number one 1"
SIGN_IN_FAILED = "We could not sign you in with these details."


@pytest.fixture
def portal(secure_portal: Callable[..., Flask]) -> Portal:
    portal = Portal(secure_portal(**{**DEFAULT_LIMITS, **RELAXED_RATE}))
    portal.register(portal.client())
    return portal


def guess(client: FlaskClient, password: str, identifier: str = "1000000008", **kwargs: Any) -> Any:
    return client.post("/account/sign-in", data={"identifier": identifier, "password": password}, headers=EN, **kwargs)


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in_codes_sent(app: Flask) -> int:
    return sum(1 for message in messages_to(app, AHMED_MOBILE) if message.purpose == "sign_in")


def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(portal: Portal) -> None:
    attacker = portal.client()
    for number in range(10):
        answer = guess(attacker, f"{WRONG}{number}")
        assert answer.status_code == 401 and SIGN_IN_FAILED in text(answer)
    codes_before = sign_in_codes_sent(portal.app)

    for client in (attacker, portal.client()):  # the owner, from the same address, is locked out too
        right = guess(client, GOOD_PASSWORD)
        assert right.status_code == 401 and SIGN_IN_FAILED in text(right)
    assert sign_in_codes_sent(portal.app) == codes_before  # no code was sent: the password never counted


def test_after_three_failures_each_try_must_wait_longer(portal: Portal) -> None:
    attacker = portal.client()
    for number in range(4):
        assert guess(attacker, f"{WRONG}{number}").status_code == 401
    # Inside the 1 s delay the right password is refused unchecked, and the try itself doubles the delay.
    assert guess(attacker, GOOD_PASSWORD).status_code == 401
    time.sleep(2.2)
    assert guess(attacker, GOOD_PASSWORD).status_code == 303  # the owner gets in once the delay is over


def test_spraying_many_accounts_from_one_address_locks_the_address(secure_portal: Callable[..., Flask]) -> None:
    portal = Portal(secure_portal(**{**DEFAULT_LIMITS, **RELAXED_RATE, "SIGNIN_ADDRESS_LOCK_AFTER": 5}))
    portal.register(portal.client())
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    for identifier in ("1000000040", "1000000065", "1000000099", "1000000016", "1000000081"):
        assert guess(portal.client(), WRONG, identifier, environ_base=attacker).status_code == 401
    assert guess(portal.client(), GOOD_PASSWORD, environ_base=attacker).status_code == 401
    elsewhere = guess(portal.client(), GOOD_PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert elsewhere.status_code == 303  # only the attacking address is locked


def test_sign_in_posts_beyond_the_rate_get_429_with_retry_after_in_the_visitors_language(
    secure_portal: Callable[..., Flask],
) -> None:
    portal = Portal(secure_portal(**DEFAULT_LIMITS))
    attacker = portal.client()
    statuses = [guess(attacker, WRONG, f"10000000{n:02d}").status_code for n in range(10)]
    assert set(statuses) == {401}
    limited = guess(attacker, WRONG, "1000000099")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many requests" in text(limited)
    arabic = portal.client().post("/account/sign-in", data={"identifier": "x", "password": "y"})
    assert arabic.status_code == 429  # same address
    assert 'lang="ar"' in text(arabic) and "Too many requests" not in text(arabic)


def start_sign_in(portal: Portal) -> FlaskClient:
    browser = portal.client()
    assert guess(browser, GOOD_PASSWORD).status_code == 303
    return browser


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_five_wrong_codes_kill_the_code_even_for_the_right_one(portal: Portal) -> None:
    browser = start_sign_in(portal)
    right = latest_code(portal.app, AHMED_MOBILE)
    for _ in range(5):
        assert browser.post("/account/sign-in/code", data={"code": wrong_code(right)}, headers=EN).status_code == 400
    killed = browser.post("/account/sign-in/code", data={"code": right}, headers=EN)
    assert killed.status_code == 400
    assert "Too many wrong codes" in text(killed)
    assert portal.client().get("/account/", headers=EN).status_code != 200
    assert browser.get("/account/", headers=EN).status_code != 200


def test_new_codes_are_capped_per_person_so_guesses_stay_few(secure_portal: Callable[..., Flask]) -> None:
    portal = Portal(secure_portal(**{**DEFAULT_LIMITS, **RELAXED_RATE, "OTP_RESEND_SECONDS": 0}))
    portal.register(portal.client())  # the registration code counts for the mobile, not the person
    browser = start_sign_in(portal)
    for _ in range(6):
        browser.post("/account/sign-in/resend", headers=EN)
    page = text(browser.get("/account/sign-in/code", headers=EN))
    assert "You have asked for too many codes" in page
    assert sign_in_codes_sent(portal.app) <= DEFAULT_LIMITS["OTP_MAX_SENDS_PER_HOUR"]


def test_code_posts_beyond_the_rate_get_429(secure_portal: Callable[..., Flask]) -> None:
    portal = Portal(secure_portal(**{**DEFAULT_LIMITS, "RATE_LIMIT_SIGNIN": "1000/minute"}))
    portal.register(portal.client())
    browser = start_sign_in(portal)
    statuses = [browser.post("/account/sign-in/code", data={"code": "000000"}).status_code for _ in range(11)]
    assert statuses[-1] == 429
    assert set(statuses[:10]) == {400}


@pytest.mark.parametrize("flow", ["registration", "recovery"])
def test_registration_and_recovery_codes_die_after_five_wrong_tries(portal: Portal, flow: str) -> None:
    browser = portal.client()
    if flow == "registration":
        browser.post("/account/register", data=AHMED, headers=EN)
        path = "/account/register/code"
    else:
        browser.post("/account/recover", data={"id_number": AHMED["id_number"]}, headers=EN)
        path = "/account/recover/code"
    right = latest_code(portal.app, AHMED_MOBILE)
    for _ in range(5):
        assert browser.post(path, data={"code": wrong_code(right)}, headers=EN).status_code == 400
    assert browser.post(path, data={"code": right}, headers=EN).status_code == 400


def test_staff_passwords_and_codes_are_guarded_the_same_way(secure_portal: Callable[..., Flask]) -> None:
    musaned = Musaned(app=secure_portal(**{**DEFAULT_LIMITS, **RELAXED_RATE}))
    musaned.staff("guarded")  # signs in once, so the account works
    attacker = from_address(musaned.app, "203.0.113.8")
    for number in range(10):
        answer = attacker.post("/backoffice/sign-in", data={"username": "guarded", "password": f"{WRONG}{number}"})
        assert answer.status_code == 401
    elsewhere = from_address(musaned.app, "198.51.100.10")
    locked = elsewhere.post("/backoffice/sign-in", data={"username": "guarded", "password": STAFF_PASSWORD})
    assert locked.status_code == 401  # the account is locked, whichever address the right password comes from

    musaned.staff("coded")
    browser = musaned.app.test_client()
    assert (
        browser.post("/backoffice/sign-in", data={"username": "coded", "password": STAFF_PASSWORD}).status_code == 303
    )
    for _ in range(5):
        assert browser.post("/backoffice/sign-in/code", data={"code": "000000"}).status_code == 400
    with musaned.db() as db:
        mobile = db.scalars(select(StaffAccount.mobile).where(StaffAccount.username == "coded")).one()
    right = latest_code(musaned.app, mobile)
    assert browser.post("/backoffice/sign-in/code", data={"code": right}).status_code == 400
    assert browser.get("/backoffice/", headers=EN).status_code == 303
