"""Sessions in Redis: for several workers or machines behind a load balancer.

Each session is one key, ``<prefix>session:<token hash>``, whose time to live
is the idle timeout (never past the absolute end), refreshed whenever the
session is saved, so Redis itself forgets idle sessions. A set
``<prefix>person-sessions:<person id>`` lists a person's sessions so that a
password change or "sign out everywhere" can end them all.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from typing import Any

from .store import SessionRecord, as_utc, dump_data, load_data, utcnow

DEFAULT_PREFIX = "bawaba:"


class RedisSessionStore:
    """A :class:`~gateway.sessions.store.SessionStore` on a ``redis.Redis`` client."""

    def __init__(
        self, client: Any, *, idle_timeout: timedelta = timedelta(minutes=15), key_prefix: str = DEFAULT_PREFIX
    ) -> None:
        self.client = client
        self.idle_timeout = idle_timeout
        self.key_prefix = key_prefix

    def session_key(self, token_hash: str) -> str:
        return f"{self.key_prefix}session:{token_hash}"

    def person_key(self, person_id: int) -> str:
        return f"{self.key_prefix}person-sessions:{person_id}"

    def load(self, token_hash: str) -> SessionRecord | None:
        return self.parse(token_hash, self.client.get(self.session_key(token_hash)))

    def parse(self, token_hash: str, raw: bytes | None) -> SessionRecord | None:
        """The record stored as ``raw`` (also for callers that fetched it along with other keys)."""
        if raw is None:
            return None
        try:
            stored = json.loads(raw)
            return SessionRecord(
                token_hash=token_hash,
                person_id=stored["person_id"],
                data=load_data(stored["data"]),
                created_at=as_utc(datetime.fromisoformat(stored["created_at"])),
                last_seen_at=as_utc(datetime.fromisoformat(stored["last_seen_at"])),
                expires_at=as_utc(datetime.fromisoformat(stored["expires_at"])),
                persisted=True,
            )
        except (ValueError, KeyError, TypeError):
            return None  # unreadable: treated as unknown, so the visitor gets a fresh session

    def save(self, record: SessionRecord) -> None:
        now = utcnow()
        seconds_left = min(self.idle_timeout, record.expires_at - now).total_seconds()
        ttl = max(1, math.ceil(seconds_left))
        value = json.dumps(
            {
                "person_id": record.person_id,
                "data": dump_data(record.data),
                "created_at": record.created_at.isoformat(),
                "last_seen_at": record.last_seen_at.isoformat(),
                "expires_at": record.expires_at.isoformat(),
            }
        )
        key = self.session_key(record.token_hash)
        # NX creates, XX updates only: a session deleted meanwhile (signed out elsewhere) stays deleted.
        if record.persisted:
            written = self.client.set(key, value, ex=ttl, xx=True)
        else:
            written = self.client.set(key, value, ex=ttl, nx=True)
        if written and record.person_id is not None:
            person_key = self.person_key(record.person_id)
            self.client.sadd(person_key, record.token_hash)
            life_left = max(1, math.ceil((record.expires_at - now).total_seconds()))
            if self.client.ttl(person_key) < life_left:
                self.client.expire(person_key, life_left)
        record.persisted = True

    def delete(self, token_hash: str) -> None:
        record = self.load(token_hash)
        self.client.delete(self.session_key(token_hash))
        if record is not None and record.person_id is not None:
            self.client.srem(self.person_key(record.person_id), token_hash)

    def delete_for_person(self, person_id: int, except_hash: str | None = None) -> int:
        person_key = self.person_key(person_id)
        ended = 0
        for member in self.client.smembers(person_key):
            token_hash = member.decode() if isinstance(member, bytes) else str(member)
            if token_hash == except_hash:
                continue
            record = self.load(token_hash)
            # The set may list sessions that expired or were re-bound; end only this person's live ones.
            if record is not None and record.person_id == person_id:
                ended += int(self.client.delete(self.session_key(token_hash)))
            self.client.srem(person_key, token_hash)
        return ended

    def purge_expired(self, now: datetime) -> int:
        """Nothing to do: Redis drops a key when its time to live runs out."""
        return 0
