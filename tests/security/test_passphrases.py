"""Long passphrases refused (issue 11 item 7; NIST SP 800-63B §5.1.1.2 asks to accept at least 64 characters).

A 200-character passphrase registers and signs in, and the same passphrase
typed with full-width letters signs in too (NFKC before hashing).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.identity.conftest import AHMED, AHMED_MOBILE, Portal, latest_code
from tests.security.verdict import note

PASSPHRASE = ("the quiet camel crosses the empty quarter at dawn " * 5)[:200]


def test_a_200_character_passphrase_works_and_is_normalised(secure_portal: Callable[..., Flask]) -> None:
    portal = Portal(
        secure_portal(
            RATE_LIMIT_SIGNIN="1000/minute", RATE_LIMIT_CODES="1000/minute", RATE_LIMIT_REGISTRATION="1000/minute"
        )
    )
    client = portal.client()
    client.post("/account/register", data=AHMED)
    client.post("/account/register/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    done = client.post(
        "/account/register/details",
        data={
            "username": "ahmed84",
            "password": PASSPHRASE,
            "password_confirmation": PASSPHRASE,
            "email": "ahmed@example.com",
            "mobile": "0501234567",
        },
    )
    assert done.status_code == 303
    client.post("/account/sign-out")
    portal.sign_in(portal.client(), password=PASSPHRASE.replace("e", "\uff45"))  # full-width "e"
    note(__name__, "200-character passphrase accepted; its full-width spelling signs in (NFKC)")
