"""Slot claims and run records, kept in the task queue's own store (SQLite file or Redis).

Why here and not in the portal's database: the claim must live wherever the
workers already meet, and it must work before ``gateway db upgrade`` (a worker
can start first). Why not huey's ``lock_task``: that lock guards a task while
it runs, it has no expiry on SQLite or on Redis before 7.4, and it says
nothing about *which* run it was; a claim keyed by job and slot says "slot
02:15 of housekeeping is taken" and expires on its own a day later.

Both stores are atomic across processes and machines: Redis ``SET NX EX``,
and on SQLite an ``INSERT OR IGNORE`` inside ``BEGIN IMMEDIATE`` on the same
file as the queue.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

CLAIM_TTL_SECONDS = 86400
"""How long a claimed slot stays claimed: far longer than any clock skew between workers."""


@dataclass(frozen=True)
class Run:
    """What one run of a periodic job did, as ``gateway worker status`` and ``/readyz`` show it."""

    job: str
    slot: str
    outcome: str
    """``running``, ``ok``, ``retrying`` (failed, will be tried again) or ``failed`` (no tries left)."""
    started_at: float
    finished_at: float | None = None
    error: str | None = None
    """The exception's class and first line, never more (it may name a person otherwise)."""
    worker: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Run:
        fields: dict[str, Any] = {name: data.get(name) for name in cls.__dataclass_fields__}
        return cls(**fields)


class TaskStore(Protocol):
    """Claims with an expiry and the last run of each job, shared by every worker."""

    def claim(self, key: str, ttl_seconds: int = CLAIM_TTL_SECONDS) -> bool:
        """Take ``key`` if nobody holds it (or their hold expired); ``True`` if this caller now holds it."""
        ...

    def release(self, key: str) -> None:
        """Give ``key`` back before its expiry."""
        ...

    def record_run(self, run: Run) -> None:
        """Keep ``run`` as the last run of its job (and as its last success when it succeeded)."""
        ...

    def last_runs(self) -> dict[str, dict[str, Run]]:
        """``{job: {"last": Run, "last_ok": Run}}`` for every job that ever ran."""
        ...

    def ping(self) -> None:
        """Raise if the store cannot be reached."""
        ...


class SqliteTaskStore:
    """Two small tables in the queue's SQLite file; one short connection per call (safe across threads)."""

    def __init__(self, path: Path | str, queue: str, *, timeout: float = 10.0) -> None:
        self.path = str(path)
        self.queue = queue
        self.timeout = timeout
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        if not self._ready:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS gateway_claims ("
                "queue TEXT NOT NULL, key TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (queue, key))"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS gateway_runs ("
                "queue TEXT NOT NULL, job TEXT NOT NULL, kind TEXT NOT NULL, run TEXT NOT NULL, "
                "PRIMARY KEY (queue, job, kind))"
            )
            self._ready = True
        return connection

    def claim(self, key: str, ttl_seconds: int = CLAIM_TTL_SECONDS) -> bool:
        now = time.time()
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("DELETE FROM gateway_claims WHERE queue = ? AND expires_at <= ?", (self.queue, now))
                cursor = connection.execute(
                    "INSERT OR IGNORE INTO gateway_claims (queue, key, expires_at) VALUES (?, ?, ?)",
                    (self.queue, key, now + ttl_seconds),
                )
                taken = cursor.rowcount == 1
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return taken

    def release(self, key: str) -> None:
        with closing(self._connect()) as connection:
            connection.execute("DELETE FROM gateway_claims WHERE queue = ? AND key = ?", (self.queue, key))

    def record_run(self, run: Run) -> None:
        text = json.dumps(run.as_dict())
        kinds = ["last", "last_ok"] if run.outcome == "ok" else ["last"]
        with closing(self._connect()) as connection:
            for kind in kinds:
                connection.execute(
                    "INSERT OR REPLACE INTO gateway_runs (queue, job, kind, run) VALUES (?, ?, ?, ?)",
                    (self.queue, run.job, kind, text),
                )

    def last_runs(self) -> dict[str, dict[str, Run]]:
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT job, kind, run FROM gateway_runs WHERE queue = ?", (self.queue,)
            ).fetchall()
        runs: dict[str, dict[str, Run]] = {}
        for job, kind, text in rows:
            runs.setdefault(job, {})[kind] = Run.from_dict(json.loads(text))
        return runs

    def ping(self) -> None:
        with closing(self._connect()) as connection:
            connection.execute("SELECT 1").fetchone()


class RedisTaskStore:
    """Keys beside the queue's own, under ``<queue>:gateway:``; ``client`` is the queue's Redis client."""

    def __init__(self, client: Any, queue: str) -> None:
        self.client = client
        self.prefix = f"{queue}:gateway:"

    def claim(self, key: str, ttl_seconds: int = CLAIM_TTL_SECONDS) -> bool:
        return bool(self.client.set(self.prefix + "claim:" + key, str(time.time()), nx=True, ex=ttl_seconds))

    def release(self, key: str) -> None:
        self.client.delete(self.prefix + "claim:" + key)

    def record_run(self, run: Run) -> None:
        text = json.dumps(run.as_dict())
        mapping = {f"{run.job}\x00last": text}
        if run.outcome == "ok":
            mapping[f"{run.job}\x00last_ok"] = text
        self.client.hset(self.prefix + "runs", mapping=mapping)

    def last_runs(self) -> dict[str, dict[str, Run]]:
        runs: dict[str, dict[str, Run]] = {}
        for field, text in self.client.hgetall(self.prefix + "runs").items():
            job, _, kind = (field.decode() if isinstance(field, bytes) else field).partition("\x00")
            runs.setdefault(job, {})[kind] = Run.from_dict(json.loads(text))
        return runs

    def ping(self) -> None:
        self.client.ping()
