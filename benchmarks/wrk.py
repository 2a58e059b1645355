"""Driving wrk (Debian's package) with prepared requests, and installing it where that is possible.

wrk is written in C and spends far less CPU per request than any Python
client, which matters when it shares two cores with the server: it is used
for every scenario whose requests can be sent again and again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .loadgen import HttpRequest
from .measurement import Measurement

SCRIPT = Path(__file__).with_name("wrk_requests.lua")


def find_or_install_wrk() -> str | None:
    """wrk's path; installs Debian's package when root with apt-get (like .ci/run does for chromium)."""
    found = shutil.which("wrk")
    if found or os.environ.get("BENCH_NO_INSTALL"):
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("wrk is missing: installing Debian's package (apt-get install -y wrk)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        installed = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True, text=True, check=False
        )
        if installed.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True, check=False)
    return shutil.which("wrk")


def wrk_version(binary: str) -> str:
    shown = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    first = (shown.stdout or shown.stderr).splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "wrk"


def _line(request: HttpRequest) -> str:
    cookie = dict(request.headers).get("Cookie", "")
    fields = (request.method, request.path, cookie, request.body.decode("ascii"))
    if any("\t" in value or "\n" in value for value in fields):
        raise ValueError(f"request {request.path} cannot be written for wrk")
    return "\t".join(fields)


def run_wrk(
    binary: str,
    port: int,
    requests: list[HttpRequest],
    *,
    expected_status: int,
    concurrency: int,
    duration: float,
    threads: int = 1,
) -> Measurement:
    """Send ``requests`` in turn for ``duration`` seconds on ``concurrency`` connections."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="ascii") as handle:
        handle.write("\n".join(_line(request) for request in requests) + "\n")
        listing = handle.name
    try:
        completed = subprocess.run(
            [
                binary,
                f"-t{threads}",
                f"-c{concurrency}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "10s",
                "-s",
                str(SCRIPT),
                f"http://127.0.0.1:{port}/",
                "--",
                listing,
                f"127.0.0.1:{port}",
                str(expected_status),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(listing)
    result = next((line for line in completed.stdout.splitlines() if line.startswith("BENCH_RESULT ")), None)
    if result is None:
        raise RuntimeError(f"wrk gave no result (exit {completed.returncode}): {completed.stderr or completed.stdout}")
    numbers = [int(value) for value in result.split()[1:]]
    total, micros, p50, p95, p99, connect, read, write, _status, timeout, unexpected = numbers
    failures = []
    if unexpected:
        failures.append(f"{unexpected} answers were not {expected_status}")
    if connect or read or write or timeout:
        failures.append(f"socket errors: connect {connect}, read {read}, write {write}, timeout {timeout}")
    return Measurement(
        generator="wrk",
        requests=total,
        operations=total - unexpected,
        errors=unexpected + connect + read + write + timeout,
        elapsed=micros / 1e6,
        p50=p50 / 1e6,
        p95=p95 / 1e6,
        p99=p99 / 1e6,
        concurrency=concurrency,
        failures=tuple(failures),
    )
