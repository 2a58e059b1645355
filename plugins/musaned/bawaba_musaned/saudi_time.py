"""Dates as the Kingdom counts them: every Musaned date (issue, expiry, contract, delay) is a Saudi calendar day.

Saudi Arabia keeps UTC+3 all year (no daylight saving), so a fixed offset is exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

RIYADH = timezone(timedelta(hours=3), "AST")


def today() -> date:
    """Today in the Kingdom."""
    return datetime.now(RIYADH).date()


def local_date(moment: datetime | None) -> date | None:
    """The Saudi calendar day of a stored moment (a naive one is taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(RIYADH).date()
