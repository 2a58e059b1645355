"""The monthly cycle's calendar: weekend days and public holidays move the first of the month along.

Kept apart from the cycle itself so the settings (``program.py``) can parse
the calendar without importing the calculation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import bawaba_sdk as sdk

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def parse_weekend(value: Any) -> frozenset[int]:
    """``"fri,sat"`` -> the weekday numbers the cycle never falls on."""
    days = sdk.parse_list(value)
    unknown = [day for day in days if day.lower()[:3] not in WEEKDAYS]
    if unknown or len(days) > 6:
        raise sdk.SettingError(f"weekend days must be among {', '.join(WEEKDAYS)} (at most six), not {value!r}")
    return frozenset(WEEKDAYS[day.lower()[:3]] for day in days)


def parse_days(value: Any) -> frozenset[date]:
    """``"2026-12-01,2027-01-01"`` -> the non-working days (public holidays)."""
    try:
        return frozenset(date.fromisoformat(day) for day in sdk.parse_list(value))
    except ValueError as exc:
        raise sdk.SettingError(f"non-working days must be YYYY-MM-DD dates separated by commas, not {value!r}") from exc


def cycle_day(month: date, weekend: Iterable[int], holidays: Iterable[date]) -> date:
    """The day the cycle of ``month`` runs: its first day, or the next working day after it."""
    closed_weekdays, closed_days = frozenset(weekend), frozenset(holidays)
    day = month.replace(day=1)
    while day.weekday() in closed_weekdays or day in closed_days:
        day += timedelta(days=1)
    return day
