"""Starting and stopping gunicorn, and timing how long it takes to answer.

The portal and the reference app run under the same command line (worker
class, workers, threads), so their figures differ only by the application.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PORTS = range(18000, 18100)
READY_TIMEOUT_SECONDS = 90.0
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class GunicornSettings:
    workers: int
    threads: int

    def arguments(self) -> list[str]:
        return ["--worker-class", "gthread", "--workers", str(self.workers), "--threads", str(self.threads)]

    def describe(self) -> str:
        return f"gunicorn --worker-class gthread --workers {self.workers} --threads {self.threads}"


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    started_in: float

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and its workers.

        Unlike throughput, this hardly moves when other programs share the
        machine, so it is what the 3-vs-50-plugins comparison judges.
        """
        total = 0
        for pid in (self.process.pid, *_children(self.process.pid)):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def free_port(avoid: set[int]) -> int:
    for port in PORTS:
        if port in avoid:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18000-18099")


def start(
    name: str,
    app_spec: str,
    *,
    settings: GunicornSettings,
    env: dict[str, str],
    log: Path,
    ready_path: str,
    avoid_ports: set[int],
) -> Server:
    """Start gunicorn and wait until ``ready_path`` answers 200; the wait is the start-up time."""
    port = free_port(avoid_ports)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        *settings.arguments(),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--graceful-timeout",
        "5",
        app_spec,
    ]
    with log.open("ab") as output:
        began = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Server(name, process, port, log, 0.0)
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} before answering; see {log}")
        if _answers(port, ready_path):
            server.started_in = time.perf_counter() - began
            return server
        if time.perf_counter() - began > READY_TIMEOUT_SECONDS:
            server.stop()
            raise RuntimeError(f"{name} did not answer {ready_path} within {READY_TIMEOUT_SECONDS:.0f} s; see {log}")
        time.sleep(0.01)


def _answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()
