"""Sessions in the portal's own database: the default, with no extra service to run.

Each call uses a short session of its own and commits at once, so storing the
web session never commits what the view did in the request's database
session. The session interface writes only after the view has finished (see
:func:`release_request_transaction`), because on SQLite a write made while the
view's own transaction is open would wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import g, has_app_context
from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from .models import ServerSession
from .store import SessionRecord, as_utc, dump_data, load_data

REQUEST_DB_SESSION_KEY = "gateway_db_session"
"""Where :class:`gateway.database.Database` keeps the request's database session in ``g``."""


def release_request_transaction() -> None:
    """End the request's open database transaction; call only once the view has finished.

    The web session is saved after the view returned but before the request's
    database session is closed. On SQLite a write from another connection
    waits for every open read transaction to end, so a view that merely read
    something would make the session write wait for the busy timeout and then
    fail. Rolling back here is what the teardown does a moment later anyway:
    work the view left uncommitted is discarded either way.
    """
    if has_app_context():
        request_session = g.get(REQUEST_DB_SESSION_KEY)
        if isinstance(request_session, Session) and request_session.in_transaction():
            request_session.rollback()


class DatabaseSessionStore:
    """A :class:`~gateway.sessions.store.SessionStore` on the ``server_sessions`` table."""

    def __init__(self, session_factory: Callable[[], Session], *, idle_timeout: timedelta = timedelta(minutes=15)):
        self.session_factory = session_factory
        self.idle_timeout = idle_timeout

    def load(self, token_hash: str) -> SessionRecord | None:
        with self.session_factory() as db:
            row = db.get(ServerSession, token_hash)
            if row is None:
                return None
            return SessionRecord(
                token_hash=row.id,
                person_id=row.person_id,
                data=load_data(row.data),
                created_at=as_utc(row.created_at),
                last_seen_at=as_utc(row.last_seen_at),
                expires_at=as_utc(row.expires_at),
                persisted=True,
            )

    def save(self, record: SessionRecord) -> None:
        with self.session_factory() as db, db.begin():
            if record.persisted:
                # Update only: a session deleted meanwhile (signed out elsewhere) stays deleted.
                db.execute(
                    update(ServerSession)
                    .where(ServerSession.id == record.token_hash)
                    .values(
                        person_id=record.person_id,
                        data=dump_data(record.data),
                        last_seen_at=record.last_seen_at,
                        expires_at=record.expires_at,
                    )
                )
            else:
                db.add(
                    ServerSession(
                        id=record.token_hash,
                        person_id=record.person_id,
                        data=dump_data(record.data),
                        created_at=record.created_at,
                        last_seen_at=record.last_seen_at,
                        expires_at=record.expires_at,
                    )
                )
        record.persisted = True

    def delete(self, token_hash: str) -> None:
        with self.session_factory() as db, db.begin():
            db.execute(delete(ServerSession).where(ServerSession.id == token_hash))

    def delete_for_person(self, person_id: int, except_hash: str | None = None) -> int:
        statement = delete(ServerSession).where(ServerSession.person_id == person_id)
        if except_hash is not None:
            statement = statement.where(ServerSession.id != except_hash)
        with self.session_factory() as db, db.begin():
            return int(getattr(db.execute(statement), "rowcount", 0) or 0)

    def purge_expired(self, now: datetime) -> int:
        statement = delete(ServerSession).where(
            or_(ServerSession.expires_at <= now, ServerSession.last_seen_at <= now - self.idle_timeout)
        )
        with self.session_factory() as db, db.begin():
            return int(getattr(db.execute(statement), "rowcount", 0) or 0)
