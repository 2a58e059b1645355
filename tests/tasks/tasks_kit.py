"""What the task tests share: the real Redis (or a skip saying why), and waiting for a condition."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REDIS_URL = os.environ.get("GATEWAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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
