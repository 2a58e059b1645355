"""Standing records' tables: one row per owner and record, a row per confirmed version, the members index.

A record's draft lives on its row (one live draft per owner and record, like
a form's); a confirmation copies it into a new ``standing_record_versions``
row that is never changed, so an application can keep the id of the version
it was made from. The members index lists, for every confirmed record, the
ID numbers it covers (its owner's and its members'), unique per program and
record: the database itself refuses anyone listed in two households.
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


class StandingRecordRow(Base):
    """One owner's record ``name`` of ``program``: the draft being edited and the latest confirmed version."""

    __tablename__ = "standing_records"
    __table_args__ = (UniqueConstraint("program", "name", "owner_id", name="uq_standing_records_program"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    draft_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    confirmed_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    """The number of the latest confirmed version (0: never confirmed)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)


class RecordVersionRow(Base):
    """A confirmed version: the data, who confirmed it, when, and the fields that changed."""

    __tablename__ = "standing_record_versions"
    __table_args__ = (UniqueConstraint("record_id", "number", name="uq_standing_record_versions_record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("standing_records.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    author: Mapped[str] = mapped_column(String(40), nullable=False)
    changed: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)


class RecordMemberRow(Base):
    """An ID number a confirmed record covers; unique per program and record name."""

    __tablename__ = "standing_record_members"
    __table_args__ = (UniqueConstraint("program", "name", "id_number", name="uq_standing_record_members_program"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("standing_records.id", ondelete="CASCADE"), nullable=False, index=True
    )
    program: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    id_number: Mapped[str] = mapped_column(String(20), nullable=False)
