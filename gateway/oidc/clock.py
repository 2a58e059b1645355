"""Time in UTC, whatever the database gives back.

SQLite returns ``DateTime(timezone=True)`` columns without a time zone, while
PostgreSQL returns them aware; every comparison goes through :func:`as_utc` so
expiry checks behave the same on both.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (naive values are stored in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
