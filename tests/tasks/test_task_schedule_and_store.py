"""Schedules, slot claims and run records, against the real stores (a SQLite file and Redis)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from gateway import create_app
from gateway.settings import ConfigError
from gateway.tasks import Schedule, ScheduleError, TaskQueue, get_tasks, register_periodic_job
from gateway.tasks.queue import RetryPolicy
from gateway.tasks.schedule import minutes_between, slot_key


def test_a_schedule_is_five_crontab_fields_in_utc_or_off() -> None:
    daily = Schedule.parse(" 15  2 * * * ")
    assert daily.expression == "15 2 * * *"
    assert daily.matches(datetime(2026, 11, 22, 2, 15, 42, tzinfo=UTC))
    assert not daily.matches(datetime(2026, 11, 22, 2, 16, tzinfo=UTC))
    riyadh = datetime.fromisoformat("2026-11-22T05:15:00+03:00")  # the same minute, written in Riyadh time
    assert daily.matches(riyadh)
    first_of_month = Schedule.parse("0 6 1 * *")
    assert first_of_month.matches(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    assert not first_of_month.matches(datetime(2026, 12, 2, 6, 0, tzinfo=UTC))
    off = Schedule.parse("off")
    assert off.off and not off.matches(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("every day", "five fields"),
        ("61 * * * *", "not a valid"),
        ("* * * *", "five fields"),
        ("x * * * *", "not a valid"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_problem(expression: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        Schedule.parse(expression)


def test_a_bad_schedule_setting_stops_the_boot_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "SCHEDULE_HOUSEKEEPING": "daily"})
    assert "SCHEDULE_HOUSEKEEPING" in str(refused.value) and "crontab" in str(refused.value)
    with pytest.raises(ConfigError, match="TASKS_URL"):
        create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "TASKS_URL": "http://queue.example"})


def test_the_scheduler_looks_at_every_minute_since_its_last_look_and_no_further_back_than_it_should() -> None:
    last = datetime(2026, 11, 22, 2, 14, 59, tzinfo=UTC)
    now = datetime(2026, 11, 22, 2, 17, 1, tzinfo=UTC)
    assert [slot_key(m) for m in minutes_between(last, now, catch_up=10)] == [
        "2026-11-22T02:15Z",
        "2026-11-22T02:16Z",
        "2026-11-22T02:17Z",
    ]
    assert [slot_key(m) for m in minutes_between(None, now, catch_up=10)] == ["2026-11-22T02:17Z"]
    assert len(minutes_between(datetime(2026, 11, 21, tzinfo=UTC), now, catch_up=10)) == 10
    assert minutes_between(now, now, catch_up=10) == []


def test_a_claim_is_taken_once_until_it_expires(
    make_app: Callable[..., Flask], tasks_url: str, queue_name: str
) -> None:
    store = get_tasks(make_app(TASKS_URL=tasks_url, TASKS_QUEUE_NAME=queue_name)).store
    assert store.claim("slot:job:2026-11-22T02:15Z", ttl_seconds=1) is True
    assert store.claim("slot:job:2026-11-22T02:15Z", ttl_seconds=1) is False
    assert store.claim("slot:job:2026-11-22T02:16Z", ttl_seconds=1) is True
    time.sleep(1.2)  # the claim's own expiry, not a speed
    assert store.claim("slot:job:2026-11-22T02:15Z", ttl_seconds=60) is True
    store.release("slot:job:2026-11-22T02:15Z")
    assert store.claim("slot:job:2026-11-22T02:15Z", ttl_seconds=60) is True


def test_eight_schedulers_looking_at_the_same_minute_enqueue_each_due_job_once(
    make_app: Callable[..., Flask], tasks_url: str, queue_name: str
) -> None:
    """Each thread is a scheduler with its own connection to the store, as on eight workers."""
    app = make_app(TASKS_URL=tasks_url, TASKS_QUEUE_NAME=queue_name)
    register_periodic_job(app, "test.hourly", "0 * * * *", lambda slot: None)
    register_periodic_job(app, "test.never", "off", lambda slot: None)
    base = get_tasks(app)
    schedulers = []
    for _ in range(8):
        queue = TaskQueue(app, url=base.url, name=base.name, retry=RetryPolicy())
        for job in base.periodic.values():
            queue.register_periodic_job(job.name, job.schedule, job.run)
        schedulers.append(queue)
    minute = datetime(2026, 11, 22, 2, 0, 30, tzinfo=UTC)  # matches '* * * * *' and '0 * * * *'
    barrier = threading.Barrier(len(schedulers))
    results: list[list[tuple[str, str]]] = [[] for _ in schedulers]

    def look(index: int) -> None:
        barrier.wait()
        results[index] = schedulers[index].enqueue_due(minute)

    threads = [threading.Thread(target=look, args=(index,)) for index in range(len(schedulers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    enqueued = sorted(pair for result in results for pair in result)
    assert enqueued == [("outbox.deliver_due", "2026-11-22T02:00Z"), ("test.hourly", "2026-11-22T02:00Z")]
    assert base.huey.pending_count() == 2
    # The same minute seen again, later, by any of them: nothing more.
    assert schedulers[3].enqueue_due(minute) == []
    assert base.huey.pending_count() == 2


def test_a_periodic_run_is_recorded_with_its_outcome(
    make_app: Callable[..., Flask], tasks_url: str, queue_name: str
) -> None:
    app = make_app(TASKS_URL=tasks_url, TASKS_QUEUE_NAME=queue_name)
    seen: list[datetime] = []

    def broken(slot: datetime) -> None:
        raise RuntimeError("the registry is down")

    register_periodic_job(app, "test.ok", "* * * * *", seen.append)
    register_periodic_job(app, "test.broken", "* * * * *", broken)
    queue = get_tasks(app)
    queue.run_periodic_now("test.ok", "2026-11-22T02:15Z")
    with pytest.raises(RuntimeError):
        queue.run_periodic_now("test.broken", "2026-11-22T02:15Z")
    assert seen == [datetime(2026, 11, 22, 2, 15, tzinfo=UTC)]
    jobs = {job.name: (last, last_ok) for job, last, last_ok in queue.status().jobs}
    last, last_ok = jobs["test.ok"]
    assert last is not None and last.outcome == "ok" and last.slot == "2026-11-22T02:15Z" and last_ok == last
    broken_last, broken_ok = jobs["test.broken"]
    assert broken_last is not None and broken_last.outcome == "failed" and broken_ok is None
    assert broken_last.error == "RuntimeError: the registry is down"
    assert jobs["housekeeping"] == (None, None)


def test_enqueueing_while_the_store_is_away_answers_false_and_raises_nothing(
    make_app: Callable[..., Flask], caplog: Any
) -> None:
    app = make_app(TASKS_URL="redis://127.0.0.1:1/0", TASKS_QUEUE_NAME="away")
    queue = get_tasks(app)
    queue.task("test.noop", lambda: None)
    assert queue.enqueue("test.noop") is False
    assert "could not enqueue task test.noop" in caplog.text
    with pytest.raises(KeyError):
        queue.enqueue("test.unknown")
