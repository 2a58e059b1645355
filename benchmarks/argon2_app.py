"""A WSGI app that does nothing but verify one password with the portal's Argon2id, served like the portal.

Why: sign-in is compared with the raw verification rate of processes doing
nothing else. Serving the same verification through the same gunicorn
settings tells how much of any gap is the serving itself (threads, workers,
the HTTP round trip) and how much is the portal's own sign-in work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from argon2 import PasswordHasher

from gateway.identity.passwords import PasswordHashing
from gateway.settings import load_host_settings

PASSWORD = "amber lanterns over the wadi 2026"

_settings = load_host_settings()
_hashing = PasswordHashing(
    PasswordHasher(
        time_cost=_settings["ARGON2_TIME_COST"],
        memory_cost=_settings["ARGON2_MEMORY_KIB"],
        parallelism=_settings["ARGON2_PARALLELISM"],
    )
)
_stored = _hashing.hash(PASSWORD)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if not _hashing.verify(_stored, PASSWORD):
        raise AssertionError("the benchmark's own password did not verify")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
