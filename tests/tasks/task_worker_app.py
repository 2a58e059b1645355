"""A real worker process for the task tests: the portal's app, two test jobs, the real consumer.

Run as ``python task_worker_app.py CONFIG_JSON LOG_FILE THREADS``. The jobs write one
line per run to ``LOG_FILE`` (appends of one short line are atomic between
processes), so the test reads who ran what, and when:

- ``test.record`` (periodic, every minute): ``periodic <slot> <pid>``;
- ``test.sleepy`` (task): ``task <n> <pid>`` after sleeping a little, to spread
  a batch over the workers;
- ``test.flaky`` (task): ``flaky <attempt> <time> <pid>``, failing until the
  log holds ``fail_times`` such lines.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

from flask import Flask

from gateway import create_app
from gateway.tasks import get_tasks, register_periodic_job
from gateway.tasks.worker import make_consumer


def _append(log: Path, line: str) -> None:
    with log.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def build(config: dict[str, object], log: Path) -> Flask:
    app = create_app(config)
    queue = get_tasks(app)

    def record(slot: datetime) -> None:
        _append(log, f"periodic {slot:%Y-%m-%dT%H:%MZ} {os.getpid()}")

    def sleepy(number: int) -> None:
        time.sleep(0.4)
        _append(log, f"task {number} {os.getpid()}")

    def flaky(fail_times: int) -> None:
        attempts = sum(1 for line in log.read_text().splitlines() if line.startswith("flaky ")) if log.exists() else 0
        _append(log, f"flaky {attempts + 1} {time.time():.3f} {os.getpid()}")
        if attempts < fail_times:
            raise RuntimeError(f"attempt {attempts + 1} fails on purpose")

    register_periodic_job(app, "test.record", "* * * * *", record, description="a line per slot")
    queue.task("test.sleepy", sleepy)
    queue.task("test.flaky", flaky)
    return app


def main() -> None:
    config = json.loads(sys.argv[1])
    log = Path(sys.argv[2])
    app = build(config, log)
    print(f"ready {os.getpid()}", flush=True)
    make_consumer(get_tasks(app), threads=int(sys.argv[3])).run()


if __name__ == "__main__":
    main()
