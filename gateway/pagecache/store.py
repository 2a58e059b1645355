"""Rendered pages of one person in Redis, each tagged with the version of that person's data.

Why versions rather than deleting entries: a writer only has to bump a
counter after it commits (``INCR``), whatever pages exist; a reader fetches
the epoch, the person's version and the page in one ``MGET`` and uses the
page only when the tag stored with it is the current one. A reader takes the
tag *before* it reads the database, so a change committed while it renders
leaves the page it stores with an old tag, and the next request renders
again: an entry is never newer-looking than the data it was made from.

The epoch invalidates every person at once: it is bumped when an app starts
(a deploy, a restored database, a CLI run) and by bulk statements that do
not say whose rows they touched. Version keys outlive every page written
before their last bump (twice the page lifetime), so a version that expired
and restarted from zero can never match an old page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("gateway.pagecache")

KEY_PREFIX = "bawaba:pages"


@dataclass(frozen=True)
class PageKey:
    """One stored page: which page, whose, in which language, for which session.

    Per session because the page's forms carry that session's CSRF token; a
    new session (signing in again) simply starts new entries.
    """

    name: str
    person_id: int
    language: str
    session: str


class PageCache:
    """The pages of people, per page, language and session, on a ``redis.Redis`` client."""

    def __init__(self, client: Any, *, namespace: str, lifetime_seconds: int) -> None:
        self.client = client
        self.lifetime_seconds = lifetime_seconds
        self.prefix = f"{KEY_PREFIX}:{namespace}"
        self.epoch_key = f"{self.prefix}:epoch"

    def version_key(self, person_id: int) -> str:
        return f"{self.prefix}:version:{person_id}"

    def page_key(self, page: PageKey) -> str:
        return f"{self.prefix}:page:{page.name}:{page.language}:{page.person_id}:{page.session}"

    def read(self, page: PageKey) -> tuple[str | None, str]:
        """The stored page if it is current (else ``None``), and the tag a page rendered now must carry."""
        epoch, version, entry = self.client.mget(self.epoch_key, self.version_key(page.person_id), self.page_key(page))
        tag = f"{_number(epoch)}.{_number(version)}"
        if entry is not None:
            stored_tag, _, html = entry.decode("utf-8").partition("\n")
            if stored_tag == tag:
                return html, tag
        return None, tag

    def write(self, page: PageKey, tag: str, html: str) -> None:
        self.client.set(self.page_key(page), f"{tag}\n{html}", ex=self.lifetime_seconds)

    def people_changed(self, person_ids: Iterable[int]) -> None:
        """Make every stored page of these people stale (called after the change is committed)."""
        ids = sorted(set(person_ids))
        if not ids:
            return
        pipeline = self.client.pipeline(transaction=False)
        for person_id in ids:
            key = self.version_key(person_id)
            pipeline.incr(key)
            pipeline.expire(key, 2 * self.lifetime_seconds)
        pipeline.execute()

    def everyone_changed(self) -> None:
        """Make every stored page stale."""
        self.client.incr(self.epoch_key)


def _number(raw: bytes | None) -> int:
    return int(raw) if raw is not None else 0
