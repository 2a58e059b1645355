"""Telling an expired code from a wrong one, and the hourly code cap answered without 429 (issue 11 item 7).

An attacker typing codes must learn nothing about which were issued and
when: a wrong and an expired code get one answer. The sixth code asked for
within an hour gets 429 with ``Retry-After``, in the person's language,
and the flow goes on once the wait is over.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import update

from gateway.otp.models import OneTimeCode
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.security.portal import EN, text
from tests.security.verdict import note

LIMITS = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "OTP_RESEND_SECONDS": 0,
    "OTP_MAX_SENDS_PER_HOUR": 5,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR": 100,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_DAY": 1000,
}


def signed_up(secure_portal: Callable[..., Flask]) -> Portal:
    portal = Portal(secure_portal(**LIMITS))
    client = portal.client()
    portal.register(client)
    client.post("/account/sign-out")
    return portal


def test_an_expired_code_and_a_wrong_code_get_one_answer(secure_portal: Callable[..., Flask]) -> None:
    portal = signed_up(secure_portal)
    browser = portal.client()
    browser.post("/account/sign-in", data={"identifier": AHMED["id_number"], "password": GOOD_PASSWORD})
    right = latest_code(portal.app, AHMED_MOBILE)
    wrong = browser.post("/account/sign-in/code", data={"code": f"{(int(right) + 1) % 1_000_000:06d}"}, headers=EN)
    with portal.app.extensions["gateway"].database.session_factory() as db:
        db.execute(update(OneTimeCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.commit()
    expired = browser.post("/account/sign-in/code", data={"code": right}, headers=EN)
    assert (wrong.status_code, expired.status_code) == (400, 400)
    assert "not correct or has expired" in text(wrong) and "not correct or has expired" in text(expired)
    assert "has expired. Request" not in text(expired)
    note(__name__, "wrong and expired code: one answer (400, same message)")


def test_the_sixth_code_in_an_hour_gets_429_with_retry_after(secure_portal: Callable[..., Flask]) -> None:
    portal = signed_up(secure_portal)
    browser = portal.client()
    browser.post("/account/sign-in", data={"identifier": AHMED["id_number"], "password": GOOD_PASSWORD})
    statuses = [browser.post("/account/sign-in/resend").status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 303, 429]
    refused = browser.post("/account/sign-in/resend", headers={"Accept-Language": "ar"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert 'lang="ar"' in text(refused) and "رموز كثيرة جدًا" in text(refused)
    assert (
        browser.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)}).status_code == 303
    )
    note(__name__, f"6th code in an hour: 429, Retry-After {refused.headers['Retry-After']} s; the flow still signs in")
