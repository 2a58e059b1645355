"""pytest fixtures for plugin authors: a real portal with your plugin enabled.

Installed with the SDK as a pytest plugin (entry point ``pytest11``), so a
plugin's test suite can ask for ``make_portal`` without importing the host:
the app factory is found through the ``gateway.host`` entry point that the
host distribution declares, exactly as ``gateway`` finds plugins.

Each test gets a database of its own: a SQLite file in its temporary folder
(a copy of a template the host's migrations ran into once per session, or an
empty file when the test asks for one) or, when ``GATEWAY_TEST_DATABASE_URL``
names a PostgreSQL database, a schema of its own there (dropped afterwards),
so the same tests prove a plugin on both.

Example::

    def test_my_page(make_portal):
        app = make_portal(plugins="my_program", MY_PROGRAM_FEE="100")
        assert app.test_client().get("/my_program/").status_code == 200

``sign_in_as`` signs a test client in as a sandbox registry person, for the
plugin's signed-in pages; ``sign_in_staff`` signs one in to the back office
as a new staff member with a role in a program
(:func:`bawaba_sdk.testing.staff.sign_in_staff`).
"""

from __future__ import annotations

import os
import secrets
import shutil
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


class TestDatabase:
    """This test's own database, made on first use: migrated (from a template) or empty.

    On SQLite the host's migrations run once per session into a template file
    and each test gets a copy; on PostgreSQL each test gets an empty schema
    that its app migrates. Tests of the migrations themselves ask for an
    empty database.
    """

    def __init__(self, templates: TemplateDatabases, folder: Path) -> None:
        self._templates = templates
        self._folder = folder
        self._url: str | None = None
        self._created: str | None = None

    def url(self, migrated: bool = True) -> str:
        """The database's URL; the first call decides whether it starts migrated."""
        if self._url is None:
            self._url, self._created = self._templates.new_database(self._folder, migrated)
        return self._url

    def drop(self) -> None:
        if self._created is not None:
            self._templates.drop(self._created)


class TemplateDatabases:
    """The once-per-session migrated template, and the per-test copies made from it."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._server = configured_postgres_url()
        self._template: str | None = None
        self._admin: Any = None

    def _admin_engine(self) -> Any:
        if self._admin is None:
            assert self._server is not None
            self._admin = create_engine(self._server, isolation_level="AUTOCOMMIT")
        return self._admin

    def _host_template(self) -> str:
        """Migrate the host's tables once, into a SQLite file copied for each test."""
        if self._template is not None:
            return self._template
        url = f"sqlite:///{self._folder / 'template.sqlite3'}"
        self._template = str(self._folder / "template.sqlite3")
        app = load_app_factory()(
            {"ENV": "testing", "INSTANCE_PATH": str(self._folder / "instance"), "DATABASE_URL": url, "PLUGINS": ""}
        )
        load_host_function("upgrade_database")(app)
        app.extensions["gateway"].database.dispose()
        return self._template

    def new_database(self, folder: Path, migrated: bool) -> tuple[str, str | None]:
        """A new database for one test: (its URL, the PostgreSQL schema to drop afterwards).

        On PostgreSQL each test gets a schema of its own in the configured
        database, migrated by the test's app (creating and dropping whole
        databases measured no faster: dropping one waits for a checkpoint).
        """
        if self._server is None:
            target = folder / "portal.sqlite3"
            if migrated:
                shutil.copyfile(self._host_template(), target)
            return f"sqlite:///{target}", None
        schema = f"test_{secrets.token_hex(6)}"
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = self._server.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False), schema

    def drop(self, schema: str) -> None:
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def close(self) -> None:
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def portal_template_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabases]:
    templates = TemplateDatabases(tmp_path_factory.mktemp("database-template"))
    yield templates
    templates.close()


@pytest.fixture
def portal_database(portal_template_databases: TemplateDatabases, tmp_path: Path) -> Iterator[TestDatabase]:
    """This test's own database (see :class:`TestDatabase`)."""
    database = TestDatabase(portal_template_databases, tmp_path)
    yield database
    database.drop()


@pytest.fixture
def portal_database_url(portal_database: TestDatabase) -> str:
    """The URL of this test's own (migrated) database."""
    return portal_database.url()


@pytest.fixture
def make_portal(tmp_path: Path, portal_database: TestDatabase) -> Iterator[Callable[..., Any]]:
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
            "DATABASE_URL": portal_database.url(migrated=migrate),
            "PLUGINS": plugins,
            "PLUGINS_STRICT": True,
            "WTF_CSRF_ENABLED": False,
        }
        settings.update(config)
        app = factory(settings)
        built.append(app)
        if migrate:
            upgrade_database(app)
        return app

    built: list[Any] = []
    yield make
    if built:
        from .host_kit import host_kit  # the host's side, loaded only once a portal was built

        for app in built:
            host_kit().close_portal(app)


@pytest.fixture
def sign_in_as() -> Callable[..., Any]:
    """Sign a test client in as a person of the sandbox registry, without registration or codes.

    ``sign_in_as(app, "1000000008")`` returns a new signed-in test client;
    pass ``client=`` to sign an existing one in. The person becomes a person
    of the portal (as registration would make them) and their session has
    the password and code methods, as after a real sign-in. Only portals
    built with ``make_portal`` (``ENV=testing``) accept it.
    """
    sign_in = load_host_function("sign_in_test_client")

    def sign_in_as(app: Any, id_number: str, *, client: Any = None) -> Any:
        signed = client if client is not None else app.test_client()
        sign_in(app, signed, id_number)
        return signed

    return sign_in_as


@pytest.fixture
def sign_in_staff() -> Callable[..., Any]:
    """:func:`bawaba_sdk.testing.staff.sign_in_staff`: a test client signed in as a new staff member.

    ``sign_in_staff(app, "parks", "supervisor")`` returns a new client signed
    in to the back office with that role in that program.
    """
    from .staff import sign_in_staff as sign_in  # here: .staff reaches the host through this module

    return sign_in


__all__ = [
    "HOST_ENTRY_POINT_GROUP",
    "TemplateDatabases",
    "TestDatabase",
    "load_app_factory",
    "load_host_function",
    "make_portal",
    "portal_database",
    "portal_database_url",
    "sign_in_as",
    "sign_in_staff",
]
