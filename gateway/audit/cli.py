"""``gateway audit``: read the security audit log (administrators and operators).

Staff accounts and their pages come later; until then the log is read here,
on the server, by whoever operates the portal.
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bawaba_sdk.digits import clean_digits

from ..identity.models import Person
from .models import AuditEvent

group = AppGroup("audit", help="Read the security audit log.")


@group.command("list")
@click.option("--person", "id_number", help="Only events about the person with this ID number.")
@click.option("--event", "event_name", help="Only this event, e.g. sign_in.failed.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_events(id_number: str | None, event_name: str | None, limit: int, as_json: bool) -> None:
    """The newest events first."""
    with current_app.extensions["gateway"].database.session_factory() as db:
        query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if id_number:
            person = db.scalars(select(Person).where(Person.id_number == clean_digits(id_number))).first()
            if person is None:
                raise click.ClickException("No person with this ID number has an account")
            query = query.where(AuditEvent.person_id == person.id)
        if event_name:
            query = query.where(AuditEvent.event == event_name)
        for event in db.scalars(query):
            row = {
                "at": event.occurred_at.isoformat(),
                "event": event.event,
                "person_id": event.person_id,
                "actor": event.actor,
                "address": event.address,
                "request_id": event.request_id,
                "details": event.details,
            }
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                click.echo(
                    f"{row['at']}  {event.event:<28} {event.actor:<14} {event.address or '-':<15} "
                    f"{event.request_id or '-'}  {json.dumps(event.details, ensure_ascii=False)}"
                )
