"""What a session store keeps, and the one interface every store offers.

The session interface never talks to a database or Redis directly: it asks a
:class:`SessionStore`. That keeps the security rules (expiry, rotation,
fixation) in one place, tested once, whichever backend the operator chose.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from flask.json.tag import TaggedJSONSerializer

TOKEN_BYTES = 32
"""256 random bits: a cookie value nobody can guess or enumerate."""

_serializer = TaggedJSONSerializer()


def new_token() -> str:
    """A fresh cookie value, made by the server only (never chosen by a client)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The key a session is stored under.

    Only this hash is stored, so whoever reads a copy of the sessions table or
    of Redis cannot replay a cookie from it.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every moment here is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def dump_data(data: dict[str, Any]) -> str:
    """Session values as text, with the same tags Flask's own cookie sessions use (bytes, tuples, datetimes...)."""
    return _serializer.dumps(data)


def load_data(text: str) -> dict[str, Any]:
    value = _serializer.loads(text) if text else {}
    return dict(value) if isinstance(value, dict) else {}


@dataclass
class SessionRecord:
    """One server-side session as a store keeps it.

    ``persisted`` tells a store whether to create the record or update an
    existing one. A store never re-creates a record that was loaded and has
    since been deleted, so a slow request cannot bring back a session that
    was signed out in the meantime.
    """

    token_hash: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    """The absolute end of the session, whatever its activity."""
    person_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    persisted: bool = False


class SessionStore(Protocol):
    """Where server-side sessions live (the database, or Redis)."""

    def load(self, token_hash: str) -> SessionRecord | None:
        """The record stored under ``token_hash``, or ``None``."""

    def save(self, record: SessionRecord) -> None:
        """Create the record (``persisted`` false) or update it if it still exists; then mark it persisted."""

    def delete(self, token_hash: str) -> None:
        """Forget one session; deleting an unknown one is not an error."""

    def delete_for_person(self, person_id: int, except_hash: str | None = None) -> int:
        """End every session of a person but ``except_hash``; return how many ended."""

    def purge_expired(self, now: datetime) -> int:
        """Remove sessions past their idle or absolute end; return how many."""
