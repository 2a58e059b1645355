"""Fixtures for the host's tests: fresh databases and apps built by the real factory.

Every test gets its own database: a SQLite file in its temporary folder, or,
when ``GATEWAY_TEST_DATABASE_URL`` points at PostgreSQL, a schema of its own
in that database (dropped afterwards), so tests never see each other's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bawaba_sdk.testing.fixtures import TestDatabase
from gateway import create_app, migrate
from tests.messaging.messaging_servers import SmsProvider

FIRST_PARTY = "musaned,social_security,gosi"
HOST_HEAD = next(iter(migrate.head_revisions(migrate.host_component())))
"""The host's newest migration, which a fresh database reaches with one upgrade."""


@pytest.fixture
def database_url(portal_database: TestDatabase) -> str:
    """The URL of this test's own database (see ``bawaba_sdk.testing.fixtures.TestDatabase``)."""
    return portal_database.url()


@pytest.fixture
def make_app(tmp_path: Path, portal_database: TestDatabase) -> Iterator[Callable[..., Flask]]:
    """Build apps with the real factory; keyword arguments override the test defaults."""
    built: list[Flask] = []

    def factory(*, migrate_database: bool = True, **overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "ENV": "testing",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": portal_database.url(migrated=migrate_database),
            "PLUGINS": FIRST_PARTY,
            "WTF_CSRF_ENABLED": False,
            # Cheap Argon2id for speed; the production parameters are measured in benchmarks/.
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
            "ARGON2_PARALLELISM": 1,
        }
        config.update(overrides)
        app = create_app(config)
        built.append(app)
        if migrate_database:
            migrate.upgrade_app(app)
        return app

    yield factory
    for app in built:
        app.extensions["gateway"].database.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def sms_provider() -> Iterator[SmsProvider]:
    """A real SMS gateway on loopback whose answers the test chooses (``tests/messaging/messaging_servers.py``)."""
    provider = SmsProvider()
    provider.start()
    yield provider
    provider.stop()
