"""Flask's ``session``, kept on the server with an opaque cookie.

Flask's default session is a signed cookie: it cannot be revoked, so signing
out or changing a password would not end it. Here the cookie carries only a
random token; the values live in a :class:`~gateway.sessions.store.SessionStore`
under the token's hash. A session ends when it is idle too long, when it
reaches its absolute lifetime, or when the portal deletes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from .database_store import release_request_transaction
from .store import SessionRecord, SessionStore, hash_token, new_token, utcnow

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
"""What a token we issued can look like; anything else is not even looked up."""

PendingAction = Callable[[SessionStore], object]


class GatewaySession(CallbackDict[str, Any], SessionMixin):
    """The session of one request.

    ``new`` is true until the session has a stored record (a fresh visitor, or
    a session just given a new identifier). ``token_hash`` names the record;
    ``person_id`` is the person bound to it. Store deletions asked for during
    the view (rotation, sign-out, ending other sessions) wait in ``pending``
    until the view has finished, then run before the session is saved.
    """

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        record: SessionRecord | None = None,
        had_cookie: bool = False,
    ) -> None:
        def on_update(session: GatewaySession) -> None:
            session.modified = True
            session.accessed = True

        super().__init__(initial, on_update)
        self.modified = False
        self.accessed = False
        self.token = token
        self.record = record
        self.new = record is None
        self.person_id: int | None = record.person_id if record is not None else None
        self.had_cookie = had_cookie
        """The request sent a session cookie, so an empty or ended session must clear it."""
        self.pending: list[PendingAction] = []

    @property
    def token_hash(self) -> str | None:
        return hash_token(self.token) if self.token is not None else None

    def ensure_token(self) -> str:
        """The session's token, issuing one (server-made, never client-chosen) when it has none yet."""
        if self.token is None:
            self.token = new_token()
        return self.token

    def reissue(self, keep_data: bool) -> str | None:
        """Leave the stored record behind and start a new, unsaved one; return the old record's hash."""
        old_hash = self.token_hash if self.record is not None else None
        self.token = new_token()
        self.record = None
        self.new = True
        self.modified = True
        if not keep_data:
            self.person_id = None
            self.clear()
        return old_hash

    def __getitem__(self, key: str) -> Any:
        self.accessed = True
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.accessed = True
        return super().get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.accessed = True
        return super().setdefault(key, default)


class GatewaySessionInterface(SessionInterface):
    """Opens and saves :class:`GatewaySession` objects through a store.

    Cookie name, domain, path and Secure come from ``app.config`` (the
    ``SESSION_COOKIE_*`` keys); the cookie is always HttpOnly and SameSite
    (``Lax`` unless configured stricter).
    """

    def __init__(
        self,
        store: SessionStore,
        *,
        idle_timeout: timedelta,
        absolute_lifetime: timedelta,
        refresh_after: timedelta = timedelta(seconds=60),
        purge_every: timedelta = timedelta(minutes=10),
    ) -> None:
        self.store = store
        self.idle_timeout = idle_timeout
        self.absolute_lifetime = absolute_lifetime
        self.refresh_after = min(refresh_after, idle_timeout / 4)
        """Re-save an unchanged session only after this long, to avoid a write per request (and well
        within the idle timeout, so an active visitor is never timed out)."""
        self.purge_every = purge_every
        self._last_purge: datetime | None = None

    # -- opening -------------------------------------------------------------------------
    def open_session(self, app: Flask, request: Request) -> GatewaySession:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return GatewaySession()
        if TOKEN_PATTERN.match(cookie):
            token_hash = hash_token(cookie)
            record = self.store.load(token_hash)
            if record is not None:
                if not self.is_expired(record, utcnow()):
                    return GatewaySession(record.data, token=cookie, record=record, had_cookie=True)
                self.store.delete(token_hash)
        # Unknown, expired or malformed: a fresh session, which gets an identifier of our making when
        # it is saved. The client's value is never adopted (session fixation).
        return GatewaySession(had_cookie=True)

    def is_expired(self, record: SessionRecord, now: datetime) -> bool:
        return now >= record.expires_at or now >= record.last_seen_at + self.idle_timeout

    # -- saving --------------------------------------------------------------------------
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, GatewaySession):
            return
        if session.accessed:
            response.vary.add("Cookie")
        if session.pending or session.modified or not session.new:
            release_request_transaction()  # the view is done; see its docstring
        for action in session.pending:
            action(self.store)
        session.pending.clear()

        if not session:
            self._forget(app, session, response)
            return

        now = utcnow()
        record = session.record
        if record is None:
            token = session.ensure_token()
            record = SessionRecord(
                token_hash=hash_token(token),
                created_at=now,
                last_seen_at=now,
                expires_at=now + self.absolute_lifetime,
                person_id=session.person_id,
                data=dict(session),
            )
            self.store.save(record)
            session.record = record
            session.new = False
            self._set_cookie(app, session, record, response)
            self._purge_now_and_then(now)
        elif session.modified or now - record.last_seen_at >= self.refresh_after:
            record.data = dict(session)
            record.person_id = session.person_id
            record.last_seen_at = now
            self.store.save(record)

    def _forget(self, app: Flask, session: GatewaySession, response: Response) -> None:
        """An emptied session: its record goes, and the browser is told to drop the cookie."""
        if session.record is not None:
            self.store.delete(session.record.token_hash)
            session.record = None
        if session.had_cookie or not session.new:
            response.delete_cookie(
                self.get_cookie_name(app),
                domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app),
                secure=self.get_cookie_secure(app),
                httponly=True,
                samesite=self._samesite(app),
            )

    def _set_cookie(self, app: Flask, session: GatewaySession, record: SessionRecord, response: Response) -> None:
        # A browser-session cookie unless the session is permanent, and then never past the absolute end.
        expires = record.expires_at if session.permanent else None
        response.set_cookie(
            self.get_cookie_name(app),
            session.ensure_token(),
            expires=expires,
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=True,
            samesite=self._samesite(app),
            partitioned=self.get_cookie_partitioned(app),
        )

    @staticmethod
    def _samesite(app: Flask) -> str:
        configured = app.config.get("SESSION_COOKIE_SAMESITE")
        return "Strict" if str(configured).lower() == "strict" else "Lax"

    def _purge_now_and_then(self, now: datetime) -> None:
        """Drop expired records when sessions are created, at most once per ``purge_every`` per process.

        So a portal without a scheduled ``purge`` still keeps its sessions
        table small; Redis needs none of this.
        """
        if self._last_purge is None or now - self._last_purge >= self.purge_every:
            self._last_purge = now
            self.store.purge_expired(now)
