"""How recent a sign-in an authorization request needs (``prompt=login``, ``max_age``), kept on the server.

A client that sends ``prompt=login`` or ``max_age`` must not get a code for a
sign-in older than it allows (OpenID Connect Core §3.1.2.1). The portal sends
the person to sign in again and then resumes the *same* request, parameters
unchanged. What makes that safe is that the requirement is not read from the
URL alone: the first time the portal sees a request (client and nonce), it
records in the session the earliest sign-in time it will accept, and every
later arrival of that request (the resumed link, the consent form, a copy of
the link opened directly) is held to the recorded time, whatever its query
now says. The record is carried across the new sign-in (which otherwise
starts an empty session) because it can only make a sign-in stricter.

The nonce identifies the request: the client checks it in the ID token, so a
request with another nonce is another request, judged on its own.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from flask import session

SESSION_KEY = "oidc_auth_after"
"""Session key: ``{request key: [first seen, earliest acceptable sign-in]}`` (Unix time, with fractions:
a sign-in in the same second as the request, but before it, must not pass for a fresh one)."""
KEEP_SECONDS = 3600
"""A request older than this is forgotten (the person has long given up, or finished)."""
MAX_REQUESTS = 16
"""At most this many waiting requests per session; the oldest go first."""
MAX_AGE_DIGITS = 10


class MalformedMaxAgeError(ValueError):
    """``max_age`` is not a whole, non-negative number of seconds."""


@dataclass(frozen=True)
class Requirement:
    """The earliest sign-in time a request accepts; ``None`` when any sign-in will do."""

    not_before: float | None

    def satisfied_by(self, signed_in_at: float) -> bool:
        return self.not_before is None or signed_in_at >= self.not_before


def parse_max_age(raw: str | None) -> int | None:
    """``max_age`` in seconds, ``None`` when absent; raises :class:`MalformedMaxAgeError` otherwise."""
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_AGE_DIGITS:
        raise MalformedMaxAgeError(raw)
    return int(raw)


def requirement_for(client_id: str, nonce: str, *, login: bool, max_age: int | None) -> Requirement:
    """The request's requirement: the one recorded when it was first seen, else recorded now.

    Call this before anything that may issue a code. ``login`` is whether
    ``prompt`` contains ``login``.
    """
    now = time.time()
    waiting = _waiting(now)
    key = _request_key(client_id, nonce)
    if key in waiting:
        return Requirement(waiting[key][1])
    bounds = ([now] if login else []) + ([now - max_age] if max_age is not None else [])
    if not bounds:
        return Requirement(None)
    waiting[key] = [now, max(bounds)]
    if len(waiting) > MAX_REQUESTS:
        for oldest in sorted(waiting, key=lambda item: waiting[item][0])[: len(waiting) - MAX_REQUESTS]:
            del waiting[oldest]
    session[SESSION_KEY] = waiting
    return Requirement(max(bounds))


def _waiting(now: float) -> dict[str, list[float]]:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    kept: dict[str, list[float]] = {}
    for key, value in stored.items():
        if (
            isinstance(key, str)
            and isinstance(value, list)
            and len(value) == 2
            and all(isinstance(part, int | float) and not isinstance(part, bool) for part in value)
            and now - value[0] <= KEEP_SECONDS
        ):
            kept[key] = [float(value[0]), float(value[1])]
    return kept


def _request_key(client_id: str, nonce: str) -> str:
    """A short, fixed-size name for the request (the nonce itself may be 255 characters)."""
    return hashlib.sha256(f"{client_id}\x00{nonce}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
