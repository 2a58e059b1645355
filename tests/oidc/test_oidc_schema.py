"""The 0006_oidc migration creates exactly the tables the models describe, and undoes itself."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from gateway import migrate
from gateway.database import Base

OIDC_TABLES = {"oauth_clients", "oauth_authorization_codes", "oauth_tokens", "oauth_consents", "oauth_used_nonces"}


def _mentions_oidc(difference: Any) -> bool:
    text = repr(difference)
    return any(table in text for table in OIDC_TABLES)


def test_the_migration_matches_the_models(oidc_app: Flask) -> None:
    engine = oidc_app.extensions["gateway"].database.engine
    assert set(inspect(engine).get_table_names()) >= OIDC_TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False})
        differences = [d for d in compare_metadata(context, Base.metadata) if _mentions_oidc(d)]
    assert differences == []


def test_the_migration_downgrades_and_upgrades_again(oidc_app: Flask) -> None:
    host = oidc_app.extensions["gateway"]
    engine = host.database.engine
    migrate.downgrade(engine, host.component("gateway"), "0005_sessions")
    assert not OIDC_TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(engine, host.migration_components())
    assert set(inspect(engine).get_table_names()) >= OIDC_TABLES
