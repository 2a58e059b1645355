"""One-time codes: one row per code sent, holding only a keyed hash of the code.

A row is never the code itself: ``code_hash`` is HMAC-SHA256 under a key
derived from the app's secret key (see :mod:`gateway.otp.keys`), so a copy of
the database alone does not reveal (or let anyone brute-force) a live code.
Rows stay after use, expiry or voiding for a day, because the send caps
(per person, per address) are counted from them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base


class OneTimeCode(Base):
    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64), index=True)
    """The opaque random id of the flow that asked for the code (kept in the server-side session)."""
    purpose: Mapped[str] = mapped_column(String(32))
    """What the code proves: ``registration``, ``sign_in``, ``password_reset``, ``contact_change``, ..."""
    subject_key: Mapped[str] = mapped_column(String(64), index=True)
    """Whose code it is, for the per-person cap: ``person:<id>`` or, before an account exists, ``id:<ID number>``."""
    channel: Mapped[str] = mapped_column(String(5))
    """``sms`` or ``email``."""
    destination: Mapped[str] = mapped_column(String(254), index=True)
    """The E.164 mobile number or the (lower-cased) email address the code went to."""
    code_hash: Mapped[str] = mapped_column(String(64))
    """Hex HMAC-SHA256 of the code, bound to its purpose and flow; never the code."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong tries so far; the code is dead once this reaches the configured maximum."""
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Set when a newer code was issued for the same flow and purpose."""
    outbox_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The outbox message that carried the code (no foreign key: the outbox is purged on its own schedule)."""

    def __repr__(self) -> str:
        # Deliberately leaves out the hash and the destination: reprs end up in logs.
        return f"<OneTimeCode {self.id} {self.purpose} flow={self.flow_id[:8]}…>"
