"""pytest fixtures for plugin authors: a real portal with your plugin enabled.

Installed with the SDK as a pytest plugin (entry point ``pytest11``), so a
plugin's test suite can ask for ``make_portal`` without importing the host:
the app factory is found through the ``gateway.host`` entry point that the
host distribution declares, exactly as ``gateway`` finds plugins.

Each test gets an empty database of its own: a SQLite file in its temporary
folder or, when ``GATEWAY_TEST_DATABASE_URL`` names a PostgreSQL database, a
schema of its own there (dropped afterwards), so the same tests prove a
plugin on both.

Example::

    def test_my_page(make_portal):
        app = make_portal(plugins="my_program", MY_PROGRAM_FEE="100")
        assert app.test_client().get("/my_program/").status_code == 200
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

HOST_ENTRY_POINT_GROUP = "gateway.host"
"""The host declares its app factory here as ``create_app``."""

TEST_DATABASE_VARIABLE = "GATEWAY_TEST_DATABASE_URL"


def load_host_function(name: str) -> Callable[..., Any]:
    """A function the host declares in the ``gateway.host`` entry-point group."""
    for entry_point in metadata.entry_points(group=HOST_ENTRY_POINT_GROUP):
        if entry_point.name == name:
            function: Callable[..., Any] = entry_point.load()
            return function
    raise RuntimeError(f"no Bawaba host is installed (no {name!r} entry point in group 'gateway.host')")


def load_app_factory() -> Callable[..., Any]:
    """The host's ``create_app``."""
    return load_host_function("create_app")


def configured_postgres_url() -> URL | None:
    """The PostgreSQL URL in ``GATEWAY_TEST_DATABASE_URL``, if one is set."""
    raw = os.environ.get(TEST_DATABASE_VARIABLE, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql+psycopg")


@pytest.fixture
def portal_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database that only this test uses."""
    server = configured_postgres_url()
    if server is None:
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    schema = f"test_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield server.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def make_portal(tmp_path: Path, portal_database_url: str) -> Callable[..., Any]:
    """Build migrated portals on this test's database; ``plugins`` lists the enabled plugin names.

    ``migrate=False`` leaves the database empty (to test migrations themselves).

    Other keyword arguments are configuration keys without the ``GATEWAY_``
    prefix (``DEFAULT_LANGUAGE="en"``, ``MY_PROGRAM_FEE="100"``, ...).
    """
    factory = load_app_factory()
    upgrade_database = load_host_function("upgrade_database")

    def make(plugins: str = "", *, migrate: bool = True, **config: Any) -> Any:
        settings: dict[str, Any] = {
            "ENV": "testing",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": portal_database_url,
            "PLUGINS": plugins,
            "PLUGINS_STRICT": True,
            "WTF_CSRF_ENABLED": False,
        }
        settings.update(config)
        app = factory(settings)
        if migrate:
            upgrade_database(app)
        return app

    return make
