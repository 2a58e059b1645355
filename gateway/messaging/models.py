"""The persisted outbox: every SMS and email the portal sends is a row here first.

Queueing a message and recording its delivery in the database (rather than
calling a provider inline and hoping) is what lets an outage of the SMS
gateway or the mail server delay a message without losing it: a worker keeps
retrying with growing back-off until the provider answers or the message has
used up its attempts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Dialect, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ..database import Base

SMS = "sms"
EMAIL = "email"
CHANNELS = (SMS, EMAIL)

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"
STATUSES = (QUEUED, SENT, FAILED)

LAST_ERROR_LENGTH = 255
PROVIDER_ID_LENGTH = 128
SUBJECT_LENGTH = 200
RECIPIENT_LENGTH = 254
PURPOSE_LENGTH = 32


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive value is taken to be UTC already (as SQLite returns it)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite as on PostgreSQL.

    SQLite has no time zones: SQLAlchemy would silently drop the offset on the
    way in and hand back naive values, so comparisons such as "due before now"
    would mix local and UTC times. Converting to UTC before storing and tagging
    UTC when loading keeps every comparison and every displayed time honest.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return as_utc(value)


class OutboxMessage(Base):
    """One SMS or email, from queueing to delivery (or giving up).

    ``last_error`` says why the latest attempt failed in words an operator can
    act on; it never holds the body, which may carry a one-time code.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint(f"channel IN ('{SMS}', '{EMAIL}')", name="channel"),
        CheckConstraint(f"status IN ('{QUEUED}', '{SENT}', '{FAILED}')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(5))
    """``sms`` or ``email``."""
    recipient: Mapped[str] = mapped_column(String(RECIPIENT_LENGTH))
    """An E.164 mobile number (SMS) or an email address."""
    subject: Mapped[str | None] = mapped_column(String(SUBJECT_LENGTH), nullable=True)
    """Email only."""
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(PURPOSE_LENGTH))
    """Why it was sent: ``registration``, ``sign_in``, ``password_reset``, ``contact_change``, ``notification``..."""
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The person it concerns, if known (no foreign key: a message outlives a deleted record)."""
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True, default=utc_now)
    last_error: Mapped[str | None] = mapped_column(String(LAST_ERROR_LENGTH), nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(PROVIDER_ID_LENGTH), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    def __repr__(self) -> str:  # never the body: it may hold a code
        return f"<OutboxMessage {self.id} {self.channel} {self.purpose} {self.status}>"
