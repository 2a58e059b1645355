"""The object a plugin reaches through ``sdk.current_host()``.

It bundles what one app owns: its settings, database and plugin manager.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sdk.program import Program

from .database import Database
from .migrate import MigrationComponent, host_component
from .plugin_manager import GatewayPluginManager


class GatewayHost:
    """The host of one app; satisfies :class:`sdk.host.Host`."""

    def __init__(
        self, settings: Mapping[str, Any], instance_path: Path, database: Database, plugins: GatewayPluginManager
    ) -> None:
        self.settings = dict(settings)
        self.instance_path = instance_path
        self.database = database
        self.plugins = plugins

    # sdk.host.Host
    def db_session(self) -> Session:
        return self.database.session()

    def settings_for(self, program_slug: str) -> Mapping[str, Any]:
        for record in self.plugins.records.values():
            if record.program is not None and record.program.slug == program_slug:
                return dict(record.settings)
        raise KeyError(f"no program {program_slug!r}")

    def enabled_programs(self) -> list[Program]:
        return [record.program for record in self.plugins.serving() if record.program is not None]

    # host-only helpers
    def migration_components(self) -> list[MigrationComponent]:
        """The host first, then each serving plugin that has tables."""
        components = [host_component()]
        for record in self.plugins.serving():
            if record.program is not None and record.database is not None:
                components.append(
                    MigrationComponent(
                        name=record.program.slug,
                        metadata=record.database.metadata,
                        versions=record.database.migrations,
                        version_table=f"alembic_version_{record.program.slug}",
                    )
                )
        return components

    def component(self, name: str) -> MigrationComponent:
        for component in self.migration_components():
            if component.name == name:
                return component
        raise KeyError(name)
