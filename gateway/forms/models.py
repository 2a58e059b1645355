"""The drafts table: a person's unfinished application, saved at every step.

Drafts live on the server, not in the browser session, so a half-filled form
survives sign-out, a lost phone or a different device. One live draft per
person and service keeps "continue" unambiguous.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base
from ..messaging.models import UtcDateTime


def utc_now() -> datetime:
    return datetime.now(UTC)


class Draft(Base):
    """Answers given so far, by step slug, as JSON-safe values (what the schema dumps).

    ``submission_key`` is generated when the "check your answers" page is
    shown and sent back with the submit button: the same key always leads to
    the same application, however often the POST arrives.
    """

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("person_id", "program", "service", name="uq_drafts_person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), nullable=False)
    program: Mapped[str] = mapped_column(String(32), nullable=False)
    service: Mapped[str] = mapped_column(String(32), nullable=False)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    submission_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now, index=True)
