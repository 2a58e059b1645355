"""Real worker processes sharing one queue: each slot runs once, work is shared, failures retry with back-off."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from task_worker_app import build
from tasks_kit import Worker, log_lines, wait_for

from gateway.tasks import get_tasks


def _away_from_a_minute_boundary(margin: int = 15) -> None:
    """Start in the first 45 s of a minute, so both workers' first looks fall in one minute."""
    second = datetime.now(UTC).second
    if second >= 60 - margin:
        time.sleep(60 - second + 0.5)


def test_two_workers_run_each_slot_once_share_the_work_and_retry_with_back_off(
    task_config: dict[str, Any], start_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    """Two worker processes on one store (SQLite file or Redis), as on two machines.

    The retry policy is GATEWAY_TASKS_RETRIES=2, _RETRY_DELAY_SECONDS=1,
    _RETRY_BACKOFF=2: a task failing twice is tried at 0, then at least 1 s
    and 2 s after the previous try, on whichever worker is free.
    """
    log = tmp_path / "runs.log"
    _away_from_a_minute_boundary()
    minute_before = datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")
    first, second = start_worker(task_config, log), start_worker(task_config, log)
    wait_for(lambda: first.ready() and second.ready(), what="both workers starting")
    wait_for(lambda: bool(log_lines(log, "periodic")), what="the periodic job's first run")

    # Queued work is shared: a batch of slow tasks lands on both workers.
    queue = get_tasks(build(task_config, log))
    assert queue.enqueue("test.flaky", 2)
    for number in range(8):
        assert queue.enqueue("test.sleepy", number)
    wait_for(lambda: len(log_lines(log, "task")) == 8, what="the 8 tasks")
    wait_for(lambda: len(log_lines(log, "flaky")) == 3, what="three attempts of the failing task")
    minute_after = datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ")
    outputs = first.stop() + second.stop()

    periodic = log_lines(log, "periodic")
    slots = [slot for slot, _pid in periodic]
    assert len(slots) == len(set(slots)), f"a slot ran twice: {periodic}"
    if minute_before == minute_after:  # both workers looked at this minute: one of them ran it
        assert slots == [minute_before]
    enqueues = [line for line in outputs.splitlines() if "enqueued periodic job test.record" in line]
    assert len(enqueues) == len(periodic)
    host_job = [line for line in outputs.splitlines() if "enqueued periodic job outbox.deliver_due" in line]
    assert len(host_job) == len({line.rsplit(" ", 1)[-1] for line in host_job})
    assert {pid for _number, pid in log_lines(log, "task")} == {str(first.pid), str(second.pid)}
    assert sorted(int(number) for number, _pid in log_lines(log, "task")) == list(range(8))

    attempts = log_lines(log, "flaky")
    times = [float(moment) for _attempt, moment, _pid in attempts]
    assert [attempt for attempt, _moment, _pid in attempts] == ["1", "2", "3"]
    assert times[1] - times[0] >= 1.0 and times[2] - times[1] >= 2.0  # huey never runs a retry before its time
    assert "attempt 2 fails on purpose" in outputs and "attempt 3 fails" not in outputs
