"""What the task tests share: the real Redis (or a skip saying why), worker processes, waiting for a condition.

Kept out of ``conftest.py``: test modules import from here, and ``conftest`` is no module name to import
when every test folder has one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REDIS_URL = os.environ.get("GATEWAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WORKER_SCRIPT = Path(__file__).with_name("task_worker_app.py")


def redis_or_skip() -> Any:
    """A client of the real Redis, or skip the test with the reason."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); set GATEWAY_TEST_REDIS_URL to test against one")
    return client


def wait_for(condition: Callable[[], bool], *, timeout: float = 60.0, what: str = "the condition") -> None:
    """Poll ``condition`` until it holds; fail saying ``what`` did not happen (a bound, not a speed claim)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s")


def log_lines(log: Path, kind: str) -> list[list[str]]:
    """The worker log's lines of one kind, split into words (without the kind)."""
    if not log.exists():
        return []
    return [line.split()[1:] for line in log.read_text().splitlines() if line.startswith(kind + " ")]


class Worker:
    """One real worker process (``task_worker_app.py``), stopped with SIGTERM like a process manager does."""

    def __init__(self, config: dict[str, Any], log: Path, threads: int, output: Path) -> None:
        self.output = output
        self._out = output.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT), json.dumps(config), str(log), str(threads)],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def ready(self) -> bool:
        return f"ready {self.pid}" in self.output.read_text()

    def stop(self) -> str:
        """Stop gracefully and return everything the worker printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._out.close()
        return self.output.read_text()
