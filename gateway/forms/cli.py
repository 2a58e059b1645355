"""``gateway forms purge-drafts``: delete drafts nobody touched for the retention period."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .drafts import purge_stale_drafts


@click.group("forms", help="Declared forms and their drafts.")
def group() -> None:
    pass


@group.command("purge-drafts")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Override GATEWAY_DRAFT_RETENTION_DAYS.")
@with_appcontext
def purge_drafts(days: int | None) -> None:
    """Delete drafts untouched for longer than the retention period (run it daily)."""
    retention = days if days is not None else int(current_app.config["GATEWAY_DRAFT_RETENTION_DAYS"])
    db = current_app.extensions["gateway"].db_session()
    count = purge_stale_drafts(db, retention)
    db.commit()
    click.echo(f"{count} drafts older than {retention} days deleted")
