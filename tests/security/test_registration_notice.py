"""Registering with an ID that already has an account (issue 11 item 7): the owner is told, the page tells nothing.

The page answers exactly as for an ID without an account (the existing
enumeration test compares both), and the account's owner gets a message
through the outbox, so an attempt on their ID does not go unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.identity.conftest import AHMED, AHMED_MOBILE, Portal, messages_to
from tests.security.portal import EN
from tests.security.verdict import note


def test_the_owner_hears_of_a_registration_with_their_id(secure_portal: Callable[..., Flask]) -> None:
    portal = Portal(secure_portal(RATE_LIMIT_REGISTRATION="1000/minute", RATE_LIMIT_CODES="1000/minute"))
    owner = portal.client()
    portal.register(owner)
    stranger = portal.client()
    answer = stranger.post("/account/register", data=AHMED, headers=EN)
    assert (answer.status_code, answer.headers["Location"]) == (303, "/account/register/code")
    notices = [m for m in messages_to(portal.app, AHMED_MOBILE) if m.purpose == "notification"]
    assert len(notices) == 1 and "Someone started registering" in notices[0].body
    note(__name__, "registration with an ID that has an account: 303 to the code page as for any ID; owner told by SMS")
