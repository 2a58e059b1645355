"""Fixtures for the host's tests: fresh databases and apps built by the real factory.

Every test gets its own database: a SQLite file in its temporary folder, or,
when ``GATEWAY_TEST_DATABASE_URL`` points at PostgreSQL, a schema of its own
in that database (dropped afterwards), so tests never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gateway import create_app
from gateway.database import normalise_database_url

TEST_DATABASE_URL = os.environ.get("GATEWAY_TEST_DATABASE_URL", "").strip()
FIRST_PARTY = "musaned,social_security,gosi"


def postgres_configured() -> bool:
    return bool(TEST_DATABASE_URL) and make_url(TEST_DATABASE_URL).get_backend_name() == "postgresql"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database that only this test uses."""
    if not postgres_configured():
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    schema = f"test_{secrets.token_hex(6)}"
    admin = create_engine(normalise_database_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_database_url(TEST_DATABASE_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def make_app(tmp_path: Path, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps with the real factory; keyword arguments override the test defaults."""
    built: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "ENV": "testing",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": database_url,
            "PLUGINS": FIRST_PARTY,
            "WTF_CSRF_ENABLED": False,
        }
        config.update(overrides)
        app = create_app(config)
        built.append(app)
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
