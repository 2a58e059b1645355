"""Commands of the `gateway documents` group, for operators."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from .service import EXTENSION_KEY, purge_orphans
from .storage import DocumentStorage, storage_from_config


@click.group("documents")
def group() -> None:
    """Uploaded documents."""


@group.command("purge-orphans")
@click.option(
    "--older-than-hours",
    type=click.IntRange(min=1),
    default=24,
    show_default=True,
    help="Only files at least this old (longer than any upload's transaction).",
)
@with_appcontext
def purge_orphans_command(older_than_hours: int) -> None:
    """Delete stored files that no document row refers to (left by failed or rolled-back submissions)."""
    storage: DocumentStorage = current_app.extensions.get(EXTENSION_KEY) or storage_from_config(current_app)
    with current_app.extensions["gateway"].database.session_factory() as db:
        removed = purge_orphans(db, storage, timedelta(hours=older_than_hours))
    click.echo(f"{len(removed)} orphaned document files removed")
