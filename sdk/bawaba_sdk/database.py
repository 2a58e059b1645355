"""A plugin's own tables and migrations.

Each plugin owns tables whose names start with its slug and an Alembic
migration folder of its own, tracked in its own version table
(``alembic_version_<slug>``). Keeping the histories apart means enabling or
disabling one program never confuses the migrations of another.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import MetaData


@dataclass(frozen=True)
class PluginDatabase:
    """What a plugin hands the host: its table metadata and its migrations folder."""

    metadata: MetaData
    migrations: Path

    @classmethod
    def for_package(cls, metadata: MetaData, package: str, subdir: str = "migrations") -> PluginDatabase:
        """Migrations in ``<package>/<subdir>`` (the folder of revision files)."""
        return cls(metadata=metadata, migrations=Path(str(resources.files(package).joinpath(subdir))))


def version_table(program_slug: str) -> str:
    """The Alembic version table that tracks one plugin's migrations."""
    return f"alembic_version_{program_slug}"
