"""Apps with server-side sessions, on the test's database or on the real Redis.

The sessions' store is the test's own database (SQLite, or a PostgreSQL
schema) or the real Redis on 127.0.0.1:6379 under a random key prefix that is
removed afterwards. Redis tests are skipped, saying why, when no Redis answers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sessions_kit import delete_keys, migrated, probe, redis_or_skip

from gateway.sessions import RedisSessionStore, init_sessions


@pytest.fixture
def redis_client() -> Iterator[Any]:
    client = redis_or_skip()
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_client: Any) -> Iterator[str]:
    """A key prefix of this test's own, whose keys are deleted afterwards."""
    prefix = f"bawaba-test-{secrets.token_hex(6)}:"
    yield prefix
    delete_keys(redis_client, prefix + "*")


@pytest.fixture
def session_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Build a migrated app whose sessions are on the server, with the probe blueprint mounted."""

    def build(store: Any = None, **config: Any) -> Flask:
        config.setdefault("PLUGINS", "")
        app = migrated(make_app(**config))
        init_sessions(app, store)
        app.register_blueprint(probe)
        return app

    return build


@pytest.fixture(params=["database", "redis"])
def any_store_app(request: pytest.FixtureRequest, session_app: Callable[..., Flask]) -> Flask:
    """The same app on each store: the database (default) and the real Redis."""
    if request.param == "redis":
        client = request.getfixturevalue("redis_client")
        prefix = request.getfixturevalue("redis_prefix")
        return session_app(RedisSessionStore(client, key_prefix=prefix))
    return session_app()
