"""Test kit: run a periodic job by name, or the queued background tasks, in the test's own process.

What ``gateway worker run-job NAME`` does, without a worker: the job runs in
the app's context with a slot (the UTC minute it is for, this minute unless
the test names one), its run recorded as the worker would::

    from datetime import UTC, datetime

    from bawaba_sdk.testing.jobs import job_names, run_job, run_pending_tasks

    def test_the_monthly_cycle(make_portal):
        app = make_portal(plugins="parks")
        assert "parks.reminders" in job_names(app)
        run_job(app, "parks.reminders", slot=datetime(2026, 12, 1, tzinfo=UTC))
        run_pending_tasks(app)  # the messages the job handed to the worker go out
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .host_kit import host_kit


def run_job(app: Any, name: str, *, slot: datetime | None = None) -> None:
    """Run the periodic job ``name`` now (its slot: ``slot``, else this minute); raises what the job raises.

    An unknown name raises ``LookupError`` listing the jobs the portal has.
    """
    host_kit().run_job(app, name, slot)


def job_names(app: Any) -> list[str]:
    """The names of every periodic job the portal registered (the host's and the plugins'), sorted."""
    return host_kit().job_names(app)


def run_pending_tasks(app: Any) -> int:
    """Run every task queued so far (messages to send, work a request handed off); how many ran."""
    return host_kit().run_pending_tasks(app)


__all__ = ["job_names", "run_job", "run_pending_tasks"]
