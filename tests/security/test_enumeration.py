"""Account enumeration by message: sign-in, recovery, registration and the back office (decision 0009).

Someone with a list of ID numbers or usernames must not learn who has an
account from what the pages say. Each test sends the same request for an
existing and a non-existing account (and the other cases the decision puts
in the same bucket: wrong password, locked, delayed, oversized) and compares
the whole answer, status and page, with only the typed value, the request id
and the CSRF token blanked (``pages.comparable``). The registry-matching
messages of registration step 1 are distinct by design and say nothing of
Bawaba accounts; "you already have an account" comes only after the code
sent to the registry's own mobile, which the test checks too.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from gateway.audit.log import AuditEvents
from gateway.audit.models import AuditEvent
from gateway.backoffice.models import StaffAccount
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.musaned.conftest import STAFF_PASSWORD, Musaned
from tests.security.pages import comparable
from tests.security.portal import EN, text

NO_ACCOUNT_IN_REGISTRY = "1000000040"
"""Abdulrahman: in the registry, never registered on the portal."""
NOT_IN_REGISTRY = "1999999993"
SIGN_IN_FAILED = "We could not sign you in with these details."


@pytest.fixture
def portal(secure_portal: Any) -> Portal:
    portal = Portal(secure_portal())
    portal.register(portal.client())  # Ahmed, username ahmed84
    return portal


def sign_in_attempt(portal: Portal, identifier: str, password: str) -> Any:
    return portal.client().post("/account/sign-in", data={"identifier": identifier, "password": password}, headers=EN)


def test_sign_in_says_the_same_for_every_kind_of_failure(portal: Portal) -> None:
    wrong = "not the password at all 42"
    attempts = {
        "unknown ID number": (NO_ACCOUNT_IN_REGISTRY, wrong),
        "ID number not in the registry": (NOT_IN_REGISTRY, wrong),
        "unknown username": ("nosuchuser9", wrong),
        "existing ID number, wrong password": ("1000000008", wrong),
        "existing username, wrong password": ("ahmed84", wrong),
        "existing ID in Arabic-Indic digits, wrong password": ("١٠٠٠٠٠٠٠٠٨", wrong),
        "existing ID, oversized password": ("1000000008", "x" * 5000),
        "unknown ID, oversized password": (NO_ACCOUNT_IN_REGISTRY, "x" * 5000),
    }
    answers = {name: comparable(sign_in_attempt(portal, *typed), typed[0]) for name, typed in attempts.items()}
    reference = answers["unknown ID number"]
    assert reference[0] == 401 and SIGN_IN_FAILED in reference[1]
    for name, answer in answers.items():
        assert answer == reference, name


def test_a_locked_or_delayed_account_answers_like_an_unknown_one(portal: Portal) -> None:
    for _ in range(12):  # past SIGNIN_LOCK_AFTER (10): the account is locked for 15 minutes
        assert sign_in_attempt(portal, "1000000008", "wrong password again").status_code == 401
    locked = comparable(sign_in_attempt(portal, "1000000008", GOOD_PASSWORD), "1000000008")
    unknown = comparable(sign_in_attempt(portal, NO_ACCOUNT_IN_REGISTRY, GOOD_PASSWORD), NO_ACCOUNT_IN_REGISTRY)
    assert locked == unknown
    assert locked[0] == 401


def test_recovery_says_the_same_whether_or_not_the_id_has_an_account(portal: Portal) -> None:
    pages = {}
    for id_number in ("1000000008", NO_ACCOUNT_IN_REGISTRY, NOT_IN_REGISTRY):
        browser = portal.client()
        started = browser.post("/account/recover", data={"id_number": id_number}, headers=EN)
        code_page = browser.get(started.headers.get("Location", ""), headers=EN)
        wrong_code = browser.post("/account/recover/code", data={"code": "000000"}, headers=EN)
        pages[id_number] = (
            (started.status_code, started.headers.get("Location")),
            comparable(code_page),
            comparable(wrong_code),
        )
    assert pages["1000000008"] == pages[NO_ACCOUNT_IN_REGISTRY] == pages[NOT_IN_REGISTRY]
    assert pages["1000000008"][0] == (303, "/account/recover/code")
    assert pages["1000000008"][2][0] == 400
    # What the page hides, the audit log tells investigators (and writing it either way evens the timing).
    with portal.app.extensions["gateway"].database.session_factory() as db:
        requested = db.scalars(
            select(AuditEvent).where(AuditEvent.event == AuditEvents.RECOVERY_REQUESTED).order_by(AuditEvent.id)
        ).all()
        assert [event.details["known_account"] for event in requested] == [True, False, False]


def test_registration_step_one_is_the_same_before_and_after_the_id_has_an_account(
    secure_portal: Any,
) -> None:
    portal = Portal(secure_portal())

    def step_one() -> tuple[Any, ...]:
        browser = portal.client()
        started = browser.post("/account/register", data=AHMED, headers=EN)
        code_page = browser.get("/account/register/code", headers=EN)
        return (started.status_code, started.headers.get("Location")), comparable(code_page)

    before = step_one()
    portal.register(portal.client())
    after = step_one()
    assert before == after
    assert before[0] == (303, "/account/register/code")

    # Only the holder of the registry's mobile learns that the account exists, after the code.
    browser = portal.client()
    browser.post("/account/register", data=AHMED, headers=EN)
    told = browser.post("/account/register/code", data={"code": latest_code(portal.app, AHMED_MOBILE)}, headers=EN)
    assert told.status_code == 200 and "already" in text(told).lower()


def test_back_office_sign_in_says_the_same_for_unknown_wrong_and_deactivated_staff(secure_portal: Any) -> None:
    musaned = Musaned(app=secure_portal())
    musaned.staff("activeone")
    musaned.staff("leftus")
    with musaned.db() as db:
        db.execute(update(StaffAccount).where(StaffAccount.username == "leftus").values(active=False))
        db.commit()

    def attempt(username: str, password: str) -> tuple[int, str]:
        browser: Flask = musaned.app
        answer = browser.test_client().post(
            "/backoffice/sign-in", data={"username": username, "password": password}, headers=EN
        )
        return comparable(answer, username)

    reference = attempt("nosuchstaff", STAFF_PASSWORD)
    assert reference[0] == 401
    assert attempt("activeone", "wrong password here") == reference
    assert attempt("leftus", STAFF_PASSWORD) == reference  # the right password of a deactivated account
    assert attempt("activeone", "y" * 5000) == reference
