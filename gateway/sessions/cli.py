"""Commands of the `gateway sessions` group, for operators."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .api import session_interface
from .store import utcnow


@click.group("sessions")
def group() -> None:
    """Server-side sessions."""


@group.command("purge")
@with_appcontext
def purge() -> None:
    """Delete sessions past their idle or absolute end (Redis drops them by itself)."""
    removed = session_interface().store.purge_expired(utcnow())
    click.echo(f"{removed} expired sessions removed")


@group.command("end")
@click.argument("person_id", type=click.IntRange(min=1))
@with_appcontext
def end(person_id: int) -> None:
    """Sign a person out everywhere, e.g. when their account may be compromised."""
    ended = session_interface().store.delete_for_person(person_id)
    click.echo(f"{ended} sessions of person {person_id} ended")
