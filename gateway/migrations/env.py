"""Alembic environment shared by the host and every plugin.

``gateway.migrate`` runs Alembic programmatically and passes, through
``config.attributes``, the connection, the metadata and the version table of
the component being migrated (the host or one plugin); the revision files
come from that component's own folder.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
target_metadata = config.attributes.get("target_metadata")
version_table = config.attributes.get("version_table", "alembic_version")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    version_table=version_table,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=config.attributes.get("include_name"),
)

with context.begin_transaction():
    context.run_migrations()
