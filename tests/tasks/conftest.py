"""Fixtures for the task queue's tests: a store per test (SQLite file or Redis) and real worker processes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from tasks_kit import REDIS_URL, Worker, redis_or_skip


@pytest.fixture(params=["sqlite", "redis"])
def tasks_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The queue's store: a SQLite file of this test's, or the real Redis (skipped with the reason if absent)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'queue' / 'tasks.sqlite3'}"
        return
    redis_or_skip()
    yield REDIS_URL


@pytest.fixture
def queue_name(tasks_url: str) -> Iterator[str]:
    """A queue name of this test's own, its Redis keys deleted afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    if not tasks_url.startswith("sqlite"):
        client = redis_or_skip()
        for pattern in (f"huey.*.{name}*", f"{name}:*"):
            for key in client.scan_iter(match=pattern, count=500):
                client.delete(key)


@pytest.fixture
def task_config(make_app: Callable[..., Flask], tasks_url: str, queue_name: str) -> dict[str, Any]:
    """The configuration every app and worker of one test shares: one migrated database, one queue."""
    app = make_app(TASKS_URL=tasks_url, TASKS_QUEUE_NAME=queue_name)
    config = {
        key: app.config[f"GATEWAY_{key}"]
        for key in ("ENV", "INSTANCE_PATH", "DATABASE_URL", "PLUGINS", "TASKS_URL", "TASKS_QUEUE_NAME")
    }
    config["PLUGINS"] = ",".join(config["PLUGINS"])
    config.update(TASKS_RETRIES=2, TASKS_RETRY_DELAY_SECONDS=1, TASKS_RETRY_BACKOFF=2, LOG_LEVEL="INFO")
    return config


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start real worker processes; every one still running is stopped at the end."""
    started: list[Worker] = []

    def start(config: dict[str, Any], log: Path, threads: int = 1) -> Worker:
        worker = Worker(config, log, threads, tmp_path / f"worker-{len(started) + 1}.out")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
