"""Server-side sessions: revocable, with an opaque cookie, idle and absolute limits.

The sign-in code calls :func:`rotate_session` and :func:`bind_person` at
sign-in, :func:`end_session` at sign-out and :func:`end_other_sessions` after
a password change; ``create_app`` calls :func:`init_sessions`.
"""

from __future__ import annotations

from .api import (
    SESSIONS_EXTENSION,
    bind_person,
    current_session,
    end_all_sessions,
    end_other_sessions,
    end_session,
    init_sessions,
    rotate_session,
    session_interface,
)
from .database_store import DatabaseSessionStore
from .interface import GatewaySession, GatewaySessionInterface
from .redis_store import RedisSessionStore
from .store import SessionRecord, SessionStore

__all__ = [
    "SESSIONS_EXTENSION",
    "DatabaseSessionStore",
    "GatewaySession",
    "GatewaySessionInterface",
    "RedisSessionStore",
    "SessionRecord",
    "SessionStore",
    "bind_person",
    "current_session",
    "end_all_sessions",
    "end_other_sessions",
    "end_session",
    "init_sessions",
    "rotate_session",
    "session_interface",
]
