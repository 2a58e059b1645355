"""What the rest of the portal calls: set the sessions up, and end or renew them.

Deletions asked for during a view (``rotate_session``, ``end_session``,
``end_other_sessions``, ``end_all_sessions``) take effect when the response is
saved, before it is sent: the view's own database transaction is finished by
then, so on SQLite the delete cannot wait on it (see
:func:`gateway.sessions.database_store.release_request_transaction`).
Outside a request they take effect at once.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, has_request_context
from flask import session as flask_session

from bawaba_sdk.host import HOST_EXTENSION

from .database_store import DatabaseSessionStore
from .interface import GatewaySession, GatewaySessionInterface
from .redis_store import RedisSessionStore
from .store import SessionStore

SESSIONS_EXTENSION = "gateway.sessions"
REDIS_TIMEOUT_SECONDS = 5
"""A Redis that stops answering fails a request in seconds instead of hanging a worker."""


def init_sessions(app: Flask, store: SessionStore | None = None) -> GatewaySessionInterface:
    """Keep ``app``'s sessions on the server; call before the first request.

    The store is Redis when ``GATEWAY_REDIS_URL`` is set, otherwise the
    portal's database (``server_sessions``); ``store`` overrides the choice.
    Called again without a store, it returns the app's existing interface.
    """
    existing = app.extensions.get(SESSIONS_EXTENSION)
    if store is None and isinstance(existing, GatewaySessionInterface):
        return existing
    idle = timedelta(minutes=int(app.config.get("GATEWAY_SESSION_IDLE_MINUTES", 15)))
    absolute = timedelta(hours=int(app.config.get("GATEWAY_SESSION_ABSOLUTE_HOURS", 12)))
    if store is None:
        store = _configured_store(app, idle)
    interface = GatewaySessionInterface(store, idle_timeout=idle, absolute_lifetime=absolute)
    app.session_interface = interface
    app.extensions[SESSIONS_EXTENSION] = interface
    return interface


def _configured_store(app: Flask, idle: timedelta) -> SessionStore:
    redis_url = app.config.get("GATEWAY_REDIS_URL")
    if redis_url:
        import redis

        client = redis.Redis.from_url(
            redis_url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        return RedisSessionStore(client, idle_timeout=idle)
    database = app.extensions[HOST_EXTENSION].database
    return DatabaseSessionStore(database.session_factory, idle_timeout=idle)


def session_interface(app: Flask | None = None) -> GatewaySessionInterface:
    """The app's session interface (``current_app``'s by default)."""
    target = app if app is not None else current_app
    interface = target.extensions.get(SESSIONS_EXTENSION)
    if not isinstance(interface, GatewaySessionInterface):
        raise RuntimeError("server-side sessions are not set up: call init_sessions(app) in create_app")
    return interface


def current_session() -> GatewaySession:
    """This request's session, as the server-side session object."""
    current = flask_session._get_current_object()  # type: ignore[attr-defined]
    if not isinstance(current, GatewaySession):
        raise RuntimeError("server-side sessions are not set up: call init_sessions(app) in create_app")
    return current


def rotate_session() -> None:
    """Give the session a new identifier, keeping its values. Call at sign-in.

    The old identifier stops working (its record is deleted), so a value
    planted or seen before sign-in is worthless after it. The new record
    starts a new absolute lifetime.
    """
    session = current_session()
    old_hash = session.reissue(keep_data=True)
    if old_hash is not None:
        session.pending.append(lambda store: store.delete(old_hash))


def end_session() -> None:
    """Sign out: delete the session's record and empty it.

    Replaying the old cookie afterwards gives an empty session. Values set
    after this call (a flash message) go into a new session with a new identifier.
    """
    session = current_session()
    old_hash = session.reissue(keep_data=False)
    if old_hash is not None:
        session.pending.append(lambda store: store.delete(old_hash))


def bind_person(person_id: int | None) -> None:
    """Record on the session which person it belongs to (``None`` unbinds), so it can be ended with theirs."""
    session = current_session()
    session.person_id = person_id
    session.modified = True


def end_other_sessions(person_id: int) -> None:
    """End every session of ``person_id`` except this request's own (after a password change)."""
    if has_request_context() and isinstance(flask_session._get_current_object(), GatewaySession):  # type: ignore[attr-defined]
        session = current_session()
        keep = session.token_hash
        session.pending.append(lambda store: store.delete_for_person(person_id, except_hash=keep))
    else:
        session_interface().store.delete_for_person(person_id)


def end_all_sessions(person_id: int) -> None:
    """End every session of ``person_id``, this request's own included when it is theirs."""
    if has_request_context() and isinstance(flask_session._get_current_object(), GatewaySession):  # type: ignore[attr-defined]
        session = current_session()
        if session.person_id == person_id:
            end_session()
        session.pending.append(lambda store: store.delete_for_person(person_id))
    else:
        session_interface().store.delete_for_person(person_id)
