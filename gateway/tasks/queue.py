"""One task queue per app: named tasks and periodic jobs, on huey, in SQLite or Redis.

Why one object per app (``app.extensions["gateway.tasks"]``) rather than a
module-level ``huey = ...`` as huey's examples do: the host builds many apps
(tests, several configurations), each with its own store and its own jobs,
and plugins register their jobs against the app that enabled them. The huey
instance itself is built on first use, so an app that never enqueues (most
tests, a page served from the cache) never opens the store.

Every task runs inside the app's context, so it uses the same settings,
database and adapters as a request. A task is enqueued by name with
JSON-able arguments (ids, not objects): a worker on another machine
rebuilds everything else from the database.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey

from .schedule import Schedule, minutes_between, slot_key
from .store import RedisTaskStore, Run, SqliteTaskStore, TaskStore

logger = logging.getLogger("gateway.tasks")

TASKS_EXTENSION = "gateway.tasks"
"""Where :func:`init_tasks` keeps the app's :class:`TaskQueue` in ``app.extensions``."""

TASK_MODULE = "bawaba"
"""Prefix of every task's name on the wire (huey names tasks ``module.name``)."""

CATCH_UP_MINUTES = 10
"""How far back a scheduler looks for slots it has not seen (a worker restarted, a stalled loop)."""

PeriodicCallable = Callable[[datetime], object]
"""A periodic job's body: called in the app's context with its slot (the UTC minute it was due)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How a failed task is tried again: ``retries`` more times, waiting ``delay`` × ``backoff``ⁿ seconds."""

    retries: int = 5
    delay: int = 10
    backoff: float = 2.0

    def delays(self) -> list[float]:
        """The wait before each retry, in order (for the docs and ``gateway worker status``)."""
        return [self.delay * self.backoff**attempt for attempt in range(self.retries)]


@dataclass(frozen=True)
class PeriodicJob:
    """A job the scheduler enqueues once per slot of its schedule, whichever worker sees the slot first."""

    name: str
    schedule: Schedule
    run: PeriodicCallable
    description: str = ""
    retry: RetryPolicy | None = None
    """``None``: the queue's policy (``GATEWAY_TASKS_RETRIES`` ...)."""


@dataclass(frozen=True)
class QueueStatus:
    """What an operator asks of a queue: how much waits, and how each periodic job last went."""

    backend: str
    waiting: int
    scheduled: int
    """Tasks waiting for their time: retries after a failure, deliveries put off on purpose."""
    jobs: list[tuple[PeriodicJob, Run | None, Run | None]] = field(default_factory=list)
    """Each periodic job with its last run and its last successful run."""


def worker_name() -> str:
    """Which worker did something, as run records show it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _short_error(exc: BaseException) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return " ".join(lines[-1].split())[:200] if lines else type(exc).__name__


class TaskQueue:
    """The app's tasks and periodic jobs, and the huey instance that carries them."""

    def __init__(self, app: Flask, *, url: str, name: str, retry: RetryPolicy) -> None:
        self.app = app
        self.url = url
        self.name = name
        self.retry = retry
        self.tasks: dict[str, tuple[Callable[..., Any], RetryPolicy]] = {}
        self.periodic: dict[str, PeriodicJob] = {}
        self._huey: Huey | None = None
        self._store: TaskStore | None = None
        self._wrappers: dict[str, Any] = {}

    # -- the store --------------------------------------------------------------------

    @property
    def backend(self) -> str:
        """``redis`` or ``sqlite``."""
        return "sqlite" if self.url.startswith("sqlite:") else "redis"

    @property
    def sqlite_path(self) -> Path:
        return Path(self.url.removeprefix("sqlite:///").removeprefix("sqlite://"))

    @property
    def huey(self) -> Huey:
        """The huey instance, built on first use with every task registered so far."""
        if self._huey is None:
            huey: Huey
            if self.backend == "sqlite":
                self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
                huey = SqliteHuey(self.name, filename=str(self.sqlite_path), results=False, utc=True, timeout=10)
            else:
                huey = RedisHuey(self.name, url=self.url, results=False, utc=True)
            self._huey = huey
            for task_name in self.tasks:
                self._register(task_name)
        return self._huey

    @property
    def store(self) -> TaskStore:
        """Slot claims and run records, in the same store as the queue."""
        if self._store is None:
            huey = self.huey  # the file (in WAL mode) or the Redis client first
            if self.backend == "sqlite":
                self._store = SqliteTaskStore(self.sqlite_path, self.name)
            else:
                self._store = RedisTaskStore(huey.storage.conn, self.name)
        return self._store

    # -- declaring work ---------------------------------------------------------------

    def task(self, name: str, func: Callable[..., Any], *, retry: RetryPolicy | None = None) -> None:
        """Register ``func`` as the task ``name``; it runs in the app's context with the enqueued arguments.

        A task that raises is tried again by ``retry`` (the queue's policy by
        default); a task that must not be retried blindly (it sent something)
        handles its own failures and returns.
        """
        if name in self.tasks:
            raise ValueError(f"a task named {name!r} is already registered")
        self.tasks[name] = (func, retry or self.retry)
        if self._huey is not None:
            self._register(name)

    def register_periodic_job(
        self,
        name: str,
        schedule: Schedule | str,
        run: PeriodicCallable,
        *,
        description: str = "",
        retry: RetryPolicy | None = None,
    ) -> PeriodicJob:
        """Run ``run(slot)`` at every slot of ``schedule``, once per slot across every worker.

        The seam for scheduled work declared by plugins too: the host calls
        this with the job's name (``<program>.<job>``), its schedule and its
        callable. ``run`` gets the slot (the UTC minute it was due), so a job
        that must be idempotent per period (a monthly cycle) knows which
        period it is doing even when it runs late or is retried.
        """
        parsed = schedule if isinstance(schedule, Schedule) else Schedule.parse(schedule)
        job = PeriodicJob(name, parsed, run, description, retry)
        self.periodic[name] = job
        self.task(name, self._periodic_body(job), retry=retry)
        return job

    def _periodic_body(self, job: PeriodicJob) -> Callable[..., None]:
        def body(slot: str, *, task: Any = None) -> None:
            started = time.time()
            store = self.store
            store.record_run(Run(job.name, slot, "running", started, worker=worker_name()))
            try:
                job.run(datetime.strptime(slot, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC))
            except Exception as exc:
                left = int(getattr(task, "retries", 0) or 0)
                outcome = "retrying" if left > 0 else "failed"
                store.record_run(
                    Run(job.name, slot, outcome, started, time.time(), _short_error(exc), worker=worker_name())
                )
                logger.exception("periodic job %s (slot %s) failed; %s", job.name, slot, outcome)
                raise
            store.record_run(Run(job.name, slot, "ok", started, time.time(), worker=worker_name()))

        return body

    def _register(self, name: str) -> None:
        func, retry = self.tasks[name]
        app = self.app

        def execute(*args: Any, task: Any = None, **kwargs: Any) -> Any:
            with app.app_context():
                if name in self.periodic:
                    return func(*args, task=task, **kwargs)
                return func(*args, **kwargs)

        execute.__module__ = TASK_MODULE
        execute.__name__ = execute.__qualname__ = name
        self._wrappers[name] = self.huey.task(
            retries=retry.retries,
            retry_delay=retry.delay,
            retry_backoff=retry.backoff,
            name=name,
            context=True,
        )(execute)

    # -- enqueueing ---------------------------------------------------------------------

    def enqueue(self, name: str, *args: Any, delay: float | None = None, eta: datetime | None = None) -> bool:
        """Put the task ``name`` on the queue (after ``delay`` seconds or at ``eta``); never waits for it.

        Returns ``False`` (and logs) when the store cannot be reached, so a
        request goes on: whatever the task was for must have a way to be
        picked up later (the outbox's periodic sweep, for messages).
        """
        if name not in self.tasks:
            raise KeyError(f"no task named {name!r}")
        try:
            wrapper = self._wrapper(name)
            if delay is None and eta is None:
                wrapper(*args)
            else:
                wrapper.schedule(args=args, delay=delay, eta=eta)
        except Exception:
            logger.exception("could not enqueue task %s", name)
            return False
        return True

    def _wrapper(self, name: str) -> Any:
        _ = self.huey  # builds the instance and registers every task
        return self._wrappers[name]

    def enqueue_due(self, now: datetime | None, after: datetime | None = None) -> list[tuple[str, str]]:
        """Enqueue every periodic job due in the minutes after ``after`` up to ``now``, claiming each slot first.

        Called by each worker's scheduler; the claim (job and slot, in the
        shared store) is what keeps a slot to one run when several workers
        see it. Returns the ``(job, slot)`` pairs this caller enqueued. A slot
        claimed but not enqueued (the store failed in between) is released,
        so the next look, here or on another worker, takes it again.
        """
        now = now or datetime.now().astimezone()
        enqueued: list[tuple[str, str]] = []
        for minute in minutes_between(after, now, catch_up=CATCH_UP_MINUTES):
            slot = slot_key(minute)
            for job in self.periodic.values():
                if not job.schedule.matches(minute):
                    continue
                claim = f"slot:{job.name}:{slot}"
                if not self.store.claim(claim):
                    continue
                try:
                    self._wrapper(job.name)(slot)
                except Exception:
                    self.store.release(claim)
                    raise
                logger.info("enqueued periodic job %s for slot %s", job.name, slot)
                enqueued.append((job.name, slot))
        return enqueued

    def run_periodic_now(self, name: str, slot: str) -> None:
        """Run a periodic job in this process, recording the run as the worker would (raises what it raises)."""
        func, _retry = self.tasks[name]
        with self.app.app_context():
            func(slot)

    # -- looking at it ------------------------------------------------------------------

    def status(self) -> QueueStatus:
        """Depth of the queue and each periodic job's last runs (raises if the store is unreachable)."""
        runs = self.store.last_runs()
        jobs = [
            (job, runs.get(name, {}).get("last"), runs.get(name, {}).get("last_ok"))
            for name, job in sorted(self.periodic.items())
        ]
        return QueueStatus(self.backend, self.huey.pending_count(), self.huey.scheduled_count(), jobs)

    def describe_store(self) -> str:
        """Where the queue lives, without a password."""
        if self.backend == "sqlite":
            return f"SQLite {self.sqlite_path}"
        from redis.connection import parse_url

        parts = parse_url(self.url)
        return f"Redis {parts.get('host', '?')}:{parts.get('port', 6379)}/{parts.get('db', 0)}"
