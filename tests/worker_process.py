"""A real ``gateway worker`` process for tests, configured like the app the test built.

The worker gets the app's database, instance folder, plugins, task queue and
messaging settings through ``GATEWAY_*`` variables, exactly as an operator's
service would, and is stopped with SIGTERM (running tasks finish first).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

GATEWAY = Path(sys.executable).with_name("gateway")
PASSED_ON = (
    "ENV",
    "INSTANCE_PATH",
    "DATABASE_URL",
    "TASKS_URL",
    "TASKS_QUEUE_NAME",
    "SMS_ADAPTER",
    "SMS_HTTP_URL",
    "SMS_HTTP_TOKEN",
    "SMS_HTTP_TIMEOUT_SECONDS",
    "EMAIL_ADAPTER",
    "OUTBOX_RETRY_BASE_SECONDS",
)


def worker_environment(app: Flask) -> dict[str, str]:
    """``GATEWAY_*`` variables that give a worker the same stores and adapters as ``app``."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    for name in PASSED_ON:
        value: Any = app.config.get(f"GATEWAY_{name}")
        if value is not None:
            environment[f"GATEWAY_{name}"] = str(value)
    environment["GATEWAY_PLUGINS"] = ",".join(app.config["GATEWAY_PLUGINS"])
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


@contextmanager
def gateway_worker(app: Flask, output: Path, *, threads: int = 4, timeout: float = 90.0) -> Iterator[Path]:
    """Run ``gateway worker`` for ``app`` until the block ends; yields the file its output goes to."""
    with output.open("w") as sink:
        process = subprocess.Popen(
            [str(GATEWAY), "worker", "--threads", str(threads)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=worker_environment(app),
        )
        try:
            deadline = time.monotonic() + timeout
            while "worker " not in output.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gateway worker did not start:\n{output.read_text()}")
                time.sleep(0.1)
            yield output
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
