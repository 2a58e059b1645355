"""Devices a person (or a member of staff) completed a sign-in on: a signed, long-lived cookie.

After a sign-in that passed the password *and* the one-time code, the browser
gets a cookie signed with the app's secret key, naming the accounts it signed
in to and a random device number. A later sign-in from that browser is
throttled under ``device:<number>`` instead of the account's key, so failures
sent by anyone else for the same ID number or username never block it
(decision 0021). The cookie is no credential: the password and the code are
still needed, and guesses made with it are counted and locked under it.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Request, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

CITIZEN_COOKIE = "bawaba_device"
STAFF_COOKIE = "bawaba_staff_device"
SALT = "bawaba.known-device"
MOST_ACCOUNTS = 5
"""Accounts one browser remembers (a family computer); the oldest is forgotten first."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=SALT)


def _max_age() -> int:
    days: int = current_app.config["GATEWAY_SIGNIN_DEVICE_DAYS"]
    return days * 24 * 3600


def _read(request: Request, cookie: str) -> dict[str, Any] | None:
    raw = request.cookies.get(cookie)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("n"), str) or not isinstance(value.get("k"), list):
        return None
    return value


def known_device_key(request: Request, cookie: str, subject: str) -> str | None:
    """The throttle key of this browser if it completed a sign-in to ``subject`` before, else None."""
    value = _read(request, cookie)
    if value is None or subject not in value["k"]:
        return None
    return f"device:{value['n']}"


def remember_device(request: Request, response: Response, cookie: str, subject: str) -> None:
    """After a complete sign-in to ``subject``: set (or renew) this browser's device cookie on ``response``."""
    value = _read(request, cookie) or {"n": secrets.token_urlsafe(16), "k": []}
    subjects = [key for key in value["k"] if isinstance(key, str) and key != subject][-(MOST_ACCOUNTS - 1) :]
    payload = {"n": value["n"], "k": [*subjects, subject]}
    response.set_cookie(
        cookie,
        _serializer().dumps(payload),
        max_age=_max_age(),
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Lax",
        path="/",
    )
