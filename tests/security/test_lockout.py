"""Nobody can keep a citizen or a member of staff locked out (decision 0021).

ID numbers and usernames are not secret, so an attacker can fail sign-ins for
anyone. These tests play the attack of issue 11: ten wrong passwords lock the
account, then more failures every 15 minutes. Time passes by ageing the
throttle's rows (what the clock would do), the rest is the real portal. The
owner still gets in: at once from a browser they completed a sign-in on before
(its cookie puts their tries under the device, and the code step still
protects the account), and from a new browser when the lock ends, because
failures during a lock never extend it. Guesses sent with a device's cookie
are counted and locked under that device, so it is no way around the limits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from gateway.backoffice.models import StaffAccount
from gateway.identity import devices
from gateway.identity.models import SignInFailures
from tests.identity.conftest import AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.musaned.conftest import STAFF_PASSWORD, Musaned
from tests.security.portal import EN, RELAXED_LIMITS, text
from tests.security.verdict import note

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.23"
LOCK_MINUTES = 15
WRONG = "wrong guess number one 1"
SIGN_IN_FAILED = "We could not sign you in with these details."
LIMITS: dict[str, Any] = {**RELAXED_LIMITS, "SIGNIN_LOCK_AFTER": 10, "SIGNIN_LOCK_MINUTES": LOCK_MINUTES}


def browser(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def time_passes(app: Flask, minutes: float) -> None:
    """Move the throttle's clock: every failure and lock happened ``minutes`` earlier."""
    with app.extensions["gateway"].database.session_factory() as db:
        for row in db.scalars(select(SignInFailures)):
            row.last_failure_at = row.last_failure_at - timedelta(minutes=minutes)
            if row.locked_until is not None:
                row.locked_until = row.locked_until - timedelta(minutes=minutes)
        db.commit()


def citizen_try(client: FlaskClient, password: str) -> Any:
    return client.post("/account/sign-in", data={"identifier": "1000000008", "password": password}, headers=EN)


def citizen_signs_in(app: Flask, client: FlaskClient) -> bool:
    """The whole sign-in, password then code; True when it ends signed in."""
    if citizen_try(client, GOOD_PASSWORD).status_code != 303:
        return False
    code = client.post("/account/sign-in/code", data={"code": latest_code(app, AHMED_MOBILE)}, headers=EN)
    signed_in = code.status_code == 303 and client.get("/account/", headers=EN).status_code == 200
    client.post("/account/sign-out")
    return signed_in


def attack_citizen(client: FlaskClient, tries: int = 10) -> None:
    for number in range(tries):
        answer = citizen_try(client, f"{WRONG}{number}")
        assert answer.status_code == 401 and SIGN_IN_FAILED in text(answer)


@pytest.fixture
def portal(secure_portal: Callable[..., Flask]) -> Portal:
    portal = Portal(secure_portal(**LIMITS))
    portal.register(portal.client())
    return portal


def test_an_attacker_failing_every_15_minutes_never_keeps_the_owner_out_of_their_device(portal: Portal) -> None:
    app = portal.app
    owners_laptop = browser(app, OWNER)
    assert citizen_signs_in(app, owners_laptop)  # once, with the code: the laptop is known from now on
    attacker = browser(app, ATTACKER)
    attack_citizen(attacker)
    assert citizen_try(attacker, GOOD_PASSWORD).status_code == 401  # the account is locked for everyone else
    rounds = 4
    for _ in range(rounds):
        assert citizen_signs_in(app, owners_laptop)
        time_passes(app, LOCK_MINUTES)
        attack_citizen(attacker)  # the lock has ended: the attacker locks it again, and goes on failing
    assert citizen_try(browser(app, OWNER), GOOD_PASSWORD).status_code == 401  # a new browser waits for the lock
    note(
        __name__,
        f"attacker re-locking one citizen every {LOCK_MINUTES} min for {rounds * LOCK_MINUTES} min: "
        f"owner's known browser signed in {rounds}/{rounds} times (password and code)",
    )


def test_failures_during_a_lock_never_extend_it(portal: Portal) -> None:
    app = portal.app
    attacker = browser(app, ATTACKER)
    attack_citizen(attacker)
    time_passes(app, LOCK_MINUTES - 1)
    attack_citizen(attacker, tries=5)  # one more round during the lock: refused, and changes nothing
    assert citizen_try(browser(app, OWNER), GOOD_PASSWORD).status_code == 401
    time_passes(app, 1.1)
    new_phone = browser(app, OWNER)
    assert citizen_signs_in(app, new_phone)  # a browser never used before, once the 15 minutes are over
    note(__name__, f"failures during a {LOCK_MINUTES} min lock: the owner's new browser got in when it ended")


def test_guesses_with_a_known_devices_cookie_are_locked_under_that_device(portal: Portal) -> None:
    app = portal.app
    shared_computer = browser(app, OWNER)
    assert citizen_signs_in(app, shared_computer)
    attack_citizen(shared_computer)  # someone else at the same computer guesses the password
    assert citizen_try(shared_computer, GOOD_PASSWORD).status_code == 401
    assert citizen_signs_in(app, browser(app, "192.0.2.44"))  # the account itself is not locked by them


def test_a_forged_or_foreign_device_cookie_counts_for_nothing(portal: Portal) -> None:
    app = portal.app
    attack_citizen(browser(app, ATTACKER))
    forger = browser(app, OWNER)
    other_key = URLSafeTimedSerializer("not the portal's key", salt=devices.SALT)
    forged = other_key.dumps({"n": "x" * 22, "k": ["account:1"]})
    forger.set_cookie(devices.CITIZEN_COOKIE, forged)
    assert citizen_try(forger, GOOD_PASSWORD).status_code == 401
    with app.extensions["gateway"].database.session_factory() as db:
        assert db.get(SignInFailures, f"device:{'x' * 22}") is None


def test_recovering_the_account_makes_the_browser_known(portal: Portal) -> None:
    app = portal.app
    attack_citizen(browser(app, ATTACKER))
    new_phone = browser(app, OWNER)
    assert new_phone.post("/account/recover", data={"id_number": "1000000008"}, headers=EN).status_code == 303
    code = latest_code(app, AHMED_MOBILE)
    assert new_phone.post("/account/recover/code", data={"code": code}, headers=EN).status_code == 303
    new_password = "a brand new long passphrase 7"
    changed = new_phone.post(
        "/account/recover/password",
        data={"password": new_password, "password_confirmation": new_password},
        headers=EN,
    )
    assert changed.status_code == 303
    answer = new_phone.post("/account/sign-in", data={"identifier": "1000000008", "password": new_password})
    assert answer.status_code == 303  # despite the attacker's lock, still running


def staff_try(client: FlaskClient, password: str) -> int:
    return client.post("/backoffice/sign-in", data={"username": "guarded", "password": password}).status_code


def staff_signs_in(musaned: Musaned, client: FlaskClient, mobile: str) -> bool:
    if staff_try(client, STAFF_PASSWORD) != 303:
        return False
    code = client.post("/backoffice/sign-in/code", data={"code": latest_code(musaned.app, mobile)})
    signed_in = code.status_code == 303 and client.get("/backoffice/", headers=EN).status_code == 200
    client.post("/backoffice/sign-out")
    return signed_in


def test_staff_cannot_be_kept_out_either(secure_portal: Callable[..., Flask]) -> None:
    musaned = Musaned(app=secure_portal(**LIMITS))
    musaned.staff("guarded")
    with musaned.db() as db:
        mobile = db.scalars(select(StaffAccount.mobile).where(StaffAccount.username == "guarded")).one()
    desk = browser(musaned.app, OWNER)
    assert staff_signs_in(musaned, desk, mobile)
    attacker = browser(musaned.app, ATTACKER)
    for round_ in range(3):
        for number in range(10):
            assert staff_try(attacker, f"{WRONG}{round_}{number}") == 401
        assert staff_try(browser(musaned.app, OWNER), STAFF_PASSWORD) == 401  # a new browser waits
        assert staff_signs_in(musaned, desk, mobile)  # the desk the staff member used before does not
        time_passes(musaned.app, LOCK_MINUTES - 1)
        assert staff_try(attacker, WRONG) == 401  # during the lock: changes nothing
        time_passes(musaned.app, 1.1)
    assert staff_signs_in(musaned, browser(musaned.app, OWNER), mobile)  # a new browser once the lock ended
    note(__name__, "staff: the known desk signed in through 3 attacker locks; a new browser after each lock")
