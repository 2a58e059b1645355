"""Migrations for the host and every enabled plugin, in one command.

Each component (the host, then each plugin with tables) has its own revision
folder and its own version table, and all share one ``env.py``. Alembic is
driven through its Python API so that the same code serves ``gateway db
upgrade``, ``/readyz`` and the tests, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData

from .database import Base

SCRIPT_LOCATION = Path(__file__).parent / "migrations"
HOST_COMPONENT = "gateway"


@dataclass(frozen=True)
class MigrationComponent:
    """A part of the schema with its own history: the host or one plugin."""

    name: str
    metadata: MetaData | None
    versions: Path
    version_table: str

    def owns_table(self, table_name: str) -> bool:
        """Whether autogenerate should look at ``table_name`` for this component."""
        if table_name.startswith("alembic_version"):
            return False
        if self.metadata is not None and table_name in self.metadata.tables:
            return True
        return self.name != HOST_COMPONENT and table_name.startswith(f"{self.name}_")


def host_component() -> MigrationComponent:
    return MigrationComponent(HOST_COMPONENT, Base.metadata, SCRIPT_LOCATION / "versions", "alembic_version")


from . import models as _all_host_models  # noqa: E402, F401 - registers every host table on Base.metadata


def _alembic_config(component: MigrationComponent, connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("version_locations", str(component.versions))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["target_metadata"] = component.metadata
    config.attributes["version_table"] = component.version_table
    config.attributes["include_name"] = _include_name_for(component)
    return config


def _include_name_for(component: MigrationComponent) -> Callable[..., bool]:
    def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
        if type_ == "table" and name is not None:
            return component.owns_table(name)
        return True

    return include_name


def head_revisions(component: MigrationComponent) -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("version_locations", str(component.versions))
    config.set_main_option("path_separator", "os")
    return set(ScriptDirectory.from_config(config).get_heads())


def current_revisions(engine: Engine, component: MigrationComponent) -> set[str]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": component.version_table})
        return set(context.get_current_heads())


def is_current(engine: Engine, component: MigrationComponent) -> bool:
    return current_revisions(engine, component) == head_revisions(component)


def upgrade(engine: Engine, components: list[MigrationComponent], revision: str = "heads") -> list[str]:
    """Upgrade each component in order; return a line per component for the operator."""
    report: list[str] = []
    for component in components:
        before = current_revisions(engine, component)
        with engine.begin() as connection:
            command.upgrade(_alembic_config(component, connection), revision)
        after = current_revisions(engine, component)
        state = "already current" if before == after else f"{_show(before)} -> {_show(after)}"
        report.append(f"{component.name}: {state}")
    return report


def downgrade(engine: Engine, component: MigrationComponent, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(_alembic_config(component, connection), revision)


def make_revision(engine: Engine, component: MigrationComponent, message: str, autogenerate: bool = True) -> None:
    """Write a new revision file into the component's folder (for developers)."""
    with engine.begin() as connection:
        command.revision(_alembic_config(component, connection), message=message, autogenerate=autogenerate)


def _show(revisions: set[str]) -> str:
    return ",".join(sorted(revisions)) or "(empty)"


def upgrade_app(app: Any) -> list[str]:
    """Migrate the host and every enabled plugin of ``app`` (also the SDK test kit's entry point)."""
    host = app.extensions["gateway"]
    return upgrade(host.database.engine, host.migration_components())
