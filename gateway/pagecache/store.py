"""Rendered pages in Redis, one per page, language and session, each tagged with a data version.

Why versions rather than deleting entries: a writer only has to bump
counters after it commits, whatever pages exist; a reader fetches the epoch,
the version and the page in one ``MGET`` (with the session record itself when
the request has not been through Flask yet) and uses the page only when the
tag stored with it is the current one. A reader takes the tag *before* it
reads the database, so a change committed while it renders leaves the page
it stores with an old tag, and the next request renders again: an entry is
never newer-looking than the data it was made from.

Why per session: the page's forms carry the session's CSRF token, and the
request's cookie names the session before anything is read, so the session
record, the version and the page all come back in one round trip. A change
to a person bumps the version of each of their sessions (the session store's
set of them). The epoch makes every page stale at once: it is bumped when
an app starts (a deploy, a restored database, a CLI run) and by bulk
statements that do not say whose rows they touched. Version keys outlive
every page written before their last bump (twice the page lifetime), so a
version that expired and restarted from zero can never match an old page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..sessions import RedisSessionStore

KEY_PREFIX = "bawaba:pages"


@dataclass(frozen=True)
class PageKey:
    """One stored page: which page, in which language, for which session (its token's hash)."""

    name: str
    language: str
    session: str


@dataclass(frozen=True)
class Lookup:
    """What one round trip found for a page: its current tag, the page if current, the session record."""

    key: PageKey
    tag: str
    person_id: int | None
    """The person the stored page was made for (``None`` when there is no current page)."""
    body: bytes | None
    session_record: bytes | None = None


class PageCache:
    """The pages, on the session store's Redis (the same server holds the sessions and their owners)."""

    def __init__(self, sessions: RedisSessionStore, *, namespace: str, lifetime_seconds: int) -> None:
        self.sessions = sessions
        self.client = sessions.client
        self.lifetime_seconds = lifetime_seconds
        self.prefix = f"{KEY_PREFIX}:{namespace}"
        self.epoch_key = f"{self.prefix}:epoch"

    def version_key(self, session: str) -> str:
        return f"{self.prefix}:version:{session}"

    def page_key(self, key: PageKey) -> str:
        return f"{self.prefix}:page:{key.name}:{key.language}:{key.session}"

    def lookup(self, key: PageKey, *, with_session: bool = False) -> Lookup:
        """The page if it is current, and the tag a page rendered now must carry."""
        keys = [self.epoch_key, self.version_key(key.session), self.page_key(key)]
        if with_session:
            keys.append(self.sessions.session_key(key.session))
        values = self.client.mget(keys)
        epoch, version, entry = values[:3]
        tag = f"{_number(epoch)}.{_number(version)}"
        person_id, body = None, None
        if entry is not None:
            header, _, stored_body = bytes(entry).partition(b"\n")
            stored_tag, _, stored_person = header.decode("ascii").partition(" ")
            if stored_tag == tag and stored_person.isdigit():
                person_id, body = int(stored_person), stored_body
        return Lookup(key, tag, person_id, body, values[3] if with_session else None)

    def write(self, key: PageKey, tag: str, person_id: int, body: bytes) -> None:
        entry = f"{tag} {person_id}\n".encode("ascii") + body
        self.client.set(self.page_key(key), entry, ex=self.lifetime_seconds)

    def people_changed(self, person_ids: Iterable[int]) -> None:
        """Make every stored page of these people's sessions stale (called after the change is committed)."""
        ids = sorted(set(person_ids))
        if not ids:
            return
        reading = self.client.pipeline(transaction=False)
        for person_id in ids:
            reading.smembers(self.sessions.person_key(person_id))
        sessions = {_text(member) for members in reading.execute() for member in members}
        if not sessions:
            return
        bumping = self.client.pipeline(transaction=False)
        for session in sorted(sessions):
            bumping.incr(self.version_key(session))
            bumping.expire(self.version_key(session), 2 * self.lifetime_seconds)
        bumping.execute()

    def everyone_changed(self) -> None:
        """Make every stored page stale."""
        self.client.incr(self.epoch_key)


def _number(raw: bytes | None) -> int:
    return int(raw) if raw is not None else 0


def _text(member: bytes | str) -> str:
    return member.decode() if isinstance(member, bytes) else member
