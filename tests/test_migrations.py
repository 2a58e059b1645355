"""Migrations of the host and each plugin, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import inspect, text

from gateway import migrate
from tests.conftest import HOST_HEAD
from tests.sample_plugins import LIBRARY, entry_points


def library_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(
        migrate_database=False,
        PLUGINS="library,gosi",
        PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY, gosi="bawaba_gosi.plugin"),
    )


def test_one_upgrade_migrates_the_host_and_every_enabled_plugin(make_app: Callable[..., Flask]) -> None:
    app = library_app(make_app)
    host = app.extensions["gateway"]
    engine = host.database.engine
    components = host.migration_components()
    assert [component.name for component in components] == ["gateway", "library", "gosi"]
    assert not any(migrate.is_current(engine, component) for component in components)

    report = migrate.upgrade(engine, components)
    assert report == [
        f"gateway: (empty) -> {HOST_HEAD}",
        "library: (empty) -> library_0001",
        "gosi: (empty) -> gosi_0002",
    ]
    tables = set(inspect(engine).get_table_names())
    assert {"alembic_version", "alembic_version_library", "library_books"} <= tables
    assert all(migrate.is_current(engine, component) for component in components)

    assert migrate.upgrade(engine, components) == [
        "gateway: already current",
        "library: already current",
        "gosi: already current",
    ]


def test_each_plugin_keeps_its_own_history(make_app: Callable[..., Flask]) -> None:
    app = library_app(make_app)
    host = app.extensions["gateway"]
    engine = host.database.engine
    migrate.upgrade(engine, host.migration_components())
    migrate.downgrade(engine, host.component("library"), "base")
    assert "library_books" not in inspect(engine).get_table_names()
    assert migrate.current_revisions(engine, host.component("gateway")) == {HOST_HEAD}
    assert migrate.current_revisions(engine, host.component("library")) == set()


def test_a_disabled_plugin_does_not_break_migrations_of_the_rest(make_app: Callable[..., Flask]) -> None:
    with_library = library_app(make_app)
    host = with_library.extensions["gateway"]
    migrate.upgrade(host.database.engine, host.migration_components())
    without_library = make_app(PLUGINS="gosi", migrate_database=False)
    other_host = without_library.extensions["gateway"]
    assert [c.name for c in other_host.migration_components()] == ["gateway", "gosi"]
    assert migrate.upgrade(other_host.database.engine, other_host.migration_components()) == [
        "gateway: already current",
        "gosi: already current",
    ]


def test_readiness_follows_the_migrations(make_app: Callable[..., Flask]) -> None:
    app = library_app(make_app)
    client = app.test_client()
    before = client.get("/readyz")
    assert before.status_code == 503
    assert before.get_json()["checks"]["migrations:library"] == "pending"
    host = app.extensions["gateway"]
    migrate.upgrade(host.database.engine, host.migration_components())
    after = client.get("/readyz")
    assert after.status_code == 200
    body = after.get_json()
    assert {key: body[key] for key in ("status", "checks")} == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations:gateway": "ok",
            "migrations:library": "ok",
            "migrations:gosi": "ok",
        },
    }


def test_plugin_tables_work_through_the_sdk_session(make_app: Callable[..., Flask]) -> None:
    from gateway.demo import load_demo_data

    app = library_app(make_app)
    host = app.extensions["gateway"]
    migrate.upgrade(host.database.engine, host.migration_components())
    assert load_demo_data(host) == ["library: 2 books added"]
    assert load_demo_data(host) == ["library: 0 books added"]
    page = app.test_client().get("/library/books")
    assert page.get_data(as_text=True) == "14 days: Kalila wa Dimna, The Muqaddimah"
    with host.database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM library_books")).scalar_one() == 2


def test_a_failing_demo_loader_keeps_the_other_plugins_data(make_app: Callable[..., Flask]) -> None:
    from gateway.demo import load_demo_data
    from tests.sample_plugins import RAISING_DEMO

    app = make_app(
        PLUGINS="clumsy,library",
        PLUGIN_ENTRY_POINTS=entry_points(clumsy=RAISING_DEMO, library=LIBRARY),
        migrate_database=False,
    )
    host = app.extensions["gateway"]
    migrate.upgrade(host.database.engine, host.migration_components())
    report = load_demo_data(host)
    assert report == ["clumsy: FAILED: ValueError: demo file is corrupt", "library: 2 books added"]
    with host.database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM library_books")).scalar_one() == 2


def test_the_suite_runs_on_postgresql_when_configured(app: Flask) -> None:
    from bawaba_sdk.testing.fixtures import configured_postgres_url

    expected = "postgresql" if configured_postgres_url() is not None else "sqlite"
    assert app.extensions["gateway"].database.backend == expected
