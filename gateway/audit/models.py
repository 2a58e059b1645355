"""One row per security event; never updated, never deleted.

Database triggers (see migration ``0002_identity``) refuse UPDATE and DELETE
on this table on SQLite and PostgreSQL alike, so not even a bug in the portal
can rewrite history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    event: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    """The person concerned (no foreign key: the log outlives what it mentions)."""
    actor: Mapped[str] = mapped_column(String(64))
    """Who acted: ``person:<id>``, ``staff:<id>``, ``anonymous`` or ``system``."""
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
