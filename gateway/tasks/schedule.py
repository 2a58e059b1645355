"""When a periodic job runs: a five-field crontab expression, in UTC, to the minute.

Why crontab: operators already read it, and the task library (huey) ships a
matcher for it (``huey.crontab``), so the schedule is parsed and matched by
the same well-tested code that the library's own periodic tasks use. A slot
is the minute a schedule matches; it is what the scheduler claims so that a
job runs once per slot however many workers there are (``store.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from huey import crontab

OFF = "off"
"""A schedule that never matches: the job can still be run by hand or enqueued."""


class ScheduleError(ValueError):
    """The expression is not five crontab fields the matcher accepts."""


def _matcher(expression: str) -> Callable[[datetime], bool]:
    fields = expression.split()
    if len(fields) != 5:
        raise ScheduleError(
            f"{expression!r} is not a crontab schedule: five fields 'minute hour day month weekday' "
            f"(e.g. '15 2 * * *' for 02:15 UTC every day) or '{OFF}'"
        )
    minute, hour, day, month, day_of_week = fields
    try:
        matches: Callable[[datetime], bool] = crontab(
            minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week, strict=True
        )
    except ValueError as exc:
        raise ScheduleError(f"{expression!r} is not a valid crontab schedule: {exc}") from exc
    return matches


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule; ``matches`` says whether a (UTC) minute is one of its slots."""

    expression: str
    _matches: Callable[[datetime], bool] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def parse(cls, expression: str) -> Schedule:
        """``'15 2 * * *'`` or ``'off'``; raises :class:`ScheduleError` naming the problem."""
        text = " ".join(str(expression).split())
        if text.lower() == OFF:
            return cls(OFF, None)
        return cls(text, _matcher(text))

    @property
    def off(self) -> bool:
        return self._matches is None

    def matches(self, minute: datetime) -> bool:
        """Whether ``minute`` (any time inside it) is a slot of this schedule."""
        if self._matches is None:
            return False
        return bool(self._matches(utc_minute(minute).replace(tzinfo=None)))

    def __str__(self) -> str:
        return self.expression


def utc_minute(moment: datetime) -> datetime:
    """``moment`` in UTC, cut to its minute (a naive value is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def slot_key(minute: datetime) -> str:
    """The slot's name in the store and in the run records: ``2026-11-22T02:15Z``."""
    return utc_minute(minute).strftime("%Y-%m-%dT%H:%MZ")


def minutes_between(after: datetime | None, until: datetime, *, catch_up: int) -> list[datetime]:
    """The minutes after ``after`` up to and including ``until``, at most ``catch_up`` of them (newest kept).

    The scheduler looks at every minute since it last looked, so a minute is
    not skipped when its checks drift across a boundary; after a long stall
    it looks only ``catch_up`` minutes back rather than replaying hours.
    """
    last = utc_minute(until)
    first = last if after is None else utc_minute(after) + timedelta(minutes=1)
    first = max(first, last - timedelta(minutes=catch_up - 1))
    minutes = []
    moment = first
    while moment <= last:
        minutes.append(moment)
        moment += timedelta(minutes=1)
    return minutes


def parse_schedule_setting(value: object) -> str:
    """Setting parser: the normalised expression, or raise naming the problem (for ``ConfigError``)."""
    return Schedule.parse(str(value)).expression
