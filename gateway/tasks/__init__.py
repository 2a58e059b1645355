"""Background and periodic work: one task queue per app on huey, run by ``gateway worker``.

Other parts use only what is exported here: :func:`get_tasks` for the app's
:class:`TaskQueue`; ``queue.task(name, func)`` and ``queue.enqueue(name, *args)``
for work a request hands off; :func:`register_periodic_job` for work on a
schedule (the host's jobs in ``gateway/jobs.py``, and plugins' scheduled jobs
through the same function). Decision 0019 says why huey and how a slot runs once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from .queue import TASKS_EXTENSION, PeriodicCallable, PeriodicJob, QueueStatus, RetryPolicy, TaskQueue
from .schedule import OFF, Schedule, ScheduleError, parse_schedule_setting, slot_key
from .store import Run


def tasks_url(config: Mapping[str, Any], instance_path: str) -> str:
    """``GATEWAY_TASKS_URL``, else ``GATEWAY_REDIS_URL``, else ``tasks.sqlite3`` in the instance folder."""
    url = config.get("GATEWAY_TASKS_URL") or config.get("GATEWAY_REDIS_URL")
    return str(url) if url else f"sqlite:///{instance_path}/tasks.sqlite3"


def init_tasks(app: Flask) -> TaskQueue:
    """Give ``app`` its task queue (the store is opened on first use, not here)."""
    queue = TaskQueue(
        app,
        url=tasks_url(app.config, app.instance_path),
        name=app.config["GATEWAY_TASKS_QUEUE_NAME"],
        retry=RetryPolicy(
            retries=app.config["GATEWAY_TASKS_RETRIES"],
            delay=app.config["GATEWAY_TASKS_RETRY_DELAY_SECONDS"],
            backoff=app.config["GATEWAY_TASKS_RETRY_BACKOFF"],
        ),
    )
    app.extensions[TASKS_EXTENSION] = queue
    return queue


def get_tasks(app: Flask) -> TaskQueue:
    """The app's :class:`TaskQueue`."""
    queue = app.extensions[TASKS_EXTENSION]
    assert isinstance(queue, TaskQueue)
    return queue


def register_periodic_job(
    app: Flask,
    name: str,
    schedule: Schedule | str,
    run: PeriodicCallable,
    *,
    description: str = "",
    retry: RetryPolicy | None = None,
) -> PeriodicJob:
    """Run ``run(slot)`` on ``schedule`` (crontab, UTC) in ``gateway worker``, once per slot across all workers.

    The one function the host calls for every periodic job, its own and the
    ones plugins declare: ``name`` is unique (``<program>.<job>`` for a
    plugin's), ``schedule`` five crontab fields or ``"off"``, and ``run`` a
    callable taking the slot (a UTC ``datetime``, the minute it was due),
    called in the app's context. A job that raises is retried with back-off
    (``retry``, or the queue's ``GATEWAY_TASKS_RETRY_*`` policy).
    """
    return get_tasks(app).register_periodic_job(name, schedule, run, description=description, retry=retry)


__all__ = [
    "OFF",
    "TASKS_EXTENSION",
    "PeriodicCallable",
    "PeriodicJob",
    "QueueStatus",
    "RetryPolicy",
    "Run",
    "Schedule",
    "ScheduleError",
    "TaskQueue",
    "get_tasks",
    "init_tasks",
    "parse_schedule_setting",
    "register_periodic_job",
    "slot_key",
    "tasks_url",
]
