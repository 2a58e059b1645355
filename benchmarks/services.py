"""PostgreSQL and Redis for one run: a database and a Redis index of its own, removed afterwards.

The benchmark never touches data it did not create: it makes a fresh
database next to the one it is given (``test`` by default) and claims an
empty Redis index with a marker key before using it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import psycopg
import redis
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
REDIS_INDEXES = range(15, 7, -1)
CLAIM_KEY = "bawaba:bench:claimed"


class ServiceUnavailableError(Exception):
    """PostgreSQL or Redis cannot be used; the message says which and how to get it."""


@dataclass
class RunServices:
    """Where this run keeps its data, and the servers' versions for the report."""

    admin_url: str
    database_name: str
    database_url: str
    redis_url: str
    postgres_version: str
    redis_version: str

    def analyze(self) -> None:
        """VACUUM ANALYZE after seeding: the planner sees the real row counts, and no autovacuum starts mid-run."""
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute("VACUUM ANALYZE")

    def drop(self) -> None:
        """Remove the run's database and empty its Redis index (best effort: report, never raise)."""
        try:
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        except psycopg.Error as exc:
            print(f"could not drop database {self.database_name}: {exc}")
        if not self.redis_url:
            return
        try:
            redis.Redis.from_url(self.redis_url, socket_timeout=5).flushdb()
        except redis.RedisError as exc:
            print(f"could not empty {self.redis_url}: {exc}")


def prepare(postgres_url: str = DEFAULT_POSTGRES, redis_base: str = DEFAULT_REDIS) -> RunServices:
    """Create the run's database and claim a Redis index; raise :class:`ServiceUnavailableError` if either is absent."""
    try:
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=3) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            postgres_version = str(row[0]) if row else "?"
            name = f"bawaba_bench_{secrets.token_hex(4)}"
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        raise ServiceUnavailableError(
            f"PostgreSQL is not reachable at {postgres_url} ({exc}).\n"
            "The benchmark measures the production set-up: start PostgreSQL on 127.0.0.1:5432 "
            "(or pass --postgres URL) and run it again."
        ) from exc
    database_url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    services = RunServices(postgres_url, name, database_url, "", postgres_version, "")
    try:
        services.redis_url, services.redis_version = _claim_redis(redis_base.rstrip("/"))
    except ServiceUnavailableError:
        services.drop()
        raise
    return services


def _claim_redis(base: str) -> tuple[str, str]:
    try:
        probe = redis.Redis.from_url(base + "/0", socket_timeout=3)
        version = str(probe.info("server").get("redis_version", "?"))
    except redis.RedisError as exc:
        raise ServiceUnavailableError(
            f"Redis is not reachable at {base} ({exc}).\n"
            "The benchmark measures the production set-up: start Redis on 127.0.0.1:6379 "
            "(or pass --redis URL) and run it again."
        ) from exc
    for index in REDIS_INDEXES:
        url = f"{base}/{index}"
        try:
            client = redis.Redis.from_url(url, socket_timeout=3)
            if client.dbsize() == 0 and client.set(CLAIM_KEY, "1", nx=True):
                return url, version
        except redis.RedisError:
            continue  # a server configured with fewer databases
    raise ServiceUnavailableError(f"Redis at {base} has no empty database among indexes 8-15 for the benchmark to use.")
