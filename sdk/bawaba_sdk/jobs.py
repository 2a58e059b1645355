"""Scheduled work a plugin declares and the host runs: ``gateway worker`` calls it on its schedule.

A program that must do something on a calendar (a monthly payment cycle,
reminders a week before a deadline) declares a :class:`ScheduledJob` and
returns it from ``gateway_register_jobs``. The host registers it on its task
queue as ``<slug>.<name>``: every ``gateway worker`` process knows it, the
first to claim a slot runs it (never two for the same minute, however many
workers run), a run that raises is retried with back-off, ``gateway worker
status`` and ``/readyz`` show its last runs, and ``gateway worker run-job
<slug>.<name>`` runs it by hand. Nothing else to run from a timer.

``run(slot)`` is called in the app's context (so ``sdk.db_session()``,
``sdk.plugin_settings()`` and ``sdk.plugin_parameters()`` work) with the slot:
the UTC minute the run was due. A late, retried or repeated run gets the same
slot, so the job knows which period it is doing; it must be idempotent for it
(a second run of the same month's cycle pays nobody twice)::

    def monthly_cycle(slot: datetime) -> None:
        ...

    CYCLE = sdk.ScheduledJob(
        name="monthly_cycle",
        run=monthly_cycle,
        setting="cycle_schedule",  # the operator chooses when (a plugin setting holding a crontab)
        description="assess every approved household for the month",
    )

    @sdk.hookimpl
    def gateway_register_jobs(program):
        return [CYCLE]

In tests, ``bawaba_sdk.testing.jobs.run_job(app, "parks.monthly_cycle", slot=...)``
runs it for a given slot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .program import DeclarationError, check_slug

JobRun = Callable[[datetime], None]
"""``run(slot)``: the work, given the UTC minute it was due."""


@dataclass(frozen=True)
class ScheduledJob:
    """A job the host runs on a schedule: five crontab fields in UTC (or ``"off"``), or a setting holding them."""

    name: str
    """Slug, unique in the program; the host names the job ``<slug>.<name>``."""
    run: JobRun
    schedule: str = ""
    """``"0 3 * * *"`` (minute hour day month weekday, UTC), or ``"off"``; empty when ``setting`` gives it."""
    setting: str | None = None
    """The name of one of the plugin's own settings whose value is the schedule (operators choose it)."""
    description: str = ""
    """One line for ``gateway worker status`` (operators read it; not translated)."""

    def __post_init__(self) -> None:
        check_slug(self.name, "scheduled job")
        if bool(self.schedule) == bool(self.setting):
            raise DeclarationError(f"scheduled job {self.name!r}: give either schedule or setting, not both")
        if not callable(self.run):
            raise DeclarationError(f"scheduled job {self.name!r}: run must be callable")

    def schedule_in(self, settings: dict[str, object]) -> str:
        """The schedule to use with the plugin's parsed ``settings``."""
        if self.setting is None:
            return self.schedule
        if self.setting not in settings:
            raise DeclarationError(f"scheduled job {self.name!r}: the plugin declares no setting {self.setting!r}")
        return str(settings[self.setting])


__all__ = ["JobRun", "ScheduledJob"]
