"""The database: one engine per app, one session per request.

Plain SQLAlchemy 2 rather than an extension, because plugins declare their
own metadata (they never import the host's) and the engine must live on the
app, not in a module global, so a test suite can build many apps side by side.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool

logger = logging.getLogger("gateway.database")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, so migrations can drop them by name on every database."""


class Base(DeclarativeBase):
    """The host's own tables (plugins have their own metadata)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'bawaba.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (or omits)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


SQLITE_BUSY_TIMEOUT_MS = 15000
"""How long a SQLite writer waits for the one before it (writers take turns; they never fail for it)."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys, a busy timeout, and WAL, so readers and the one writer never block each other.

    Rollback-journal SQLite (the default) makes a reader that then writes
    fail at once with "database is locked" whenever another connection is
    committing (each waits for the other, so SQLite gives up without
    waiting). With WAL, readers never block and a writer that starts its
    transaction with the write lock (see :meth:`Database.session`) waits for
    its turn for up to the busy timeout.
    """
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin,
    # so SAVEPOINTs and transactional DDL behave as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    try:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")  # persistent: done once per file
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL's safe setting: no corruption, durable at checkpoints
    except Exception as exc:  # another connection is converting the same file right now; it will be WAL
        logger.debug("SQLite journal mode left as it is: %s", exc)
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    """``BEGIN``, or ``BEGIN IMMEDIATE`` (the write lock first) on a connection of the writers' engine."""
    if connection.get_execution_options().get("gateway_sqlite_begin") == "IMMEDIATE":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


class Database:
    """The engine and session factory of one app."""

    def __init__(self, url: str, *, keep_connections: bool = True) -> None:
        """``keep_connections=False`` (tests) closes each connection when its session ends.

        Why: a test suite builds thousands of portals; on PostgreSQL each pool would
        keep its connections open until the process ends, past the server's limit.
        """
        self.url = normalise_database_url(url)
        options: dict[str, Any] = {"future": True}
        backend = make_url(self.url).get_backend_name()
        if backend == "postgresql":
            options["pool_pre_ping"] = True
            if not keep_connections:
                options["poolclass"] = NullPool
        self.engine: Engine = create_engine(self.url, **options)
        if backend == "sqlite":
            event.listen(self.engine, "connect", _configure_sqlite_connection)
            event.listen(self.engine, "begin", _begin_sqlite_transaction)
        self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.writer_engine: Engine = self.engine
        if backend == "sqlite":
            self.writer_engine = self.engine.execution_options(gateway_sqlite_begin="IMMEDIATE")

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def init_app(self, app: Flask) -> None:
        app.teardown_appcontext(self._close_request_session)
        if self.backend == "sqlite":
            app.after_request(self._end_request_session)

    def session(self) -> Session:
        """The session of the current app context, opened on first use.

        On SQLite, a request that may write (any method but GET, HEAD and
        OPTIONS) gets a session whose transactions begin with the write lock
        (``BEGIN IMMEDIATE``): two such requests take turns, the second
        waiting up to the busy timeout, instead of one failing with "database
        is locked" when both read and then write. The session is closed as
        soon as the view has answered (before the web session is saved on
        another connection), so a request never waits for itself.
        """
        if "gateway_db_session" not in g:
            writes = has_request_context() and request.method not in SAFE_METHODS
            if writes and self.writer_engine is not self.engine:
                g.gateway_db_session = self.session_factory(bind=self.writer_engine)
            else:
                g.gateway_db_session = self.session_factory()
        session: Session = g.gateway_db_session
        return session

    def roll_back_request_session(self) -> bool:
        """Roll back and close the request's session; True if it had a transaction open (work was lost)."""
        session: Session | None = g.pop("gateway_db_session", None) if has_request_context() else None
        if session is None:
            return False
        in_transaction = session.in_transaction()
        try:
            session.rollback()
        finally:
            session.close()
        return in_transaction

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

    @staticmethod
    def _end_request_session(response: Response) -> Response:
        """Close the request's session once the view has answered (SQLite: release the write lock now)."""
        session = g.pop("gateway_db_session", None)
        if session is not None:
            session.close()
        return response

    @staticmethod
    def _close_request_session(_exc: BaseException | None) -> None:
        session = g.pop("gateway_db_session", None)
        if session is not None:
            session.close()

    def release_request_session(self) -> None:
        """Close the request's session now (what the teardown does a moment later), releasing SQLite's lock."""
        self._close_request_session(None)
