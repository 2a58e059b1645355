"""The table of server-side sessions (the default store, when Redis is not configured).

The primary key is the SHA-256 of the cookie's token, never the token itself:
a leaked copy of this table hands out no live session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base


class ServerSession(Base):
    __tablename__ = "server_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 hex of the cookie token."""
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    """The signed-in person, so signing out everywhere can find every session (no foreign key: a
    session must never block deleting a person, and ending sessions is done by this column)."""
    data: Mapped[str] = mapped_column(Text)
    """The session's values as tagged JSON text."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """Absolute end of the session, whatever its activity."""
