"""A portal with the permits test plugin, notifications switched on, and a signed-in Ahmed.

``forms_portal`` is re-declared here (same configuration as the forms tests)
so notifications are initialised before the first request, whether or not
the app factory already does it; ``ahmed`` comes from the forms tests and
picks up this portal by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.applications import Application
from gateway.messaging.models import OutboxMessage
from gateway.notifications import PURPOSE, Notification
from tests.forms.conftest import CHECK, PERMITS, ahmed, answer_everything, page  # noqa: F401
from tests.identity.conftest import RAJESH, Portal
from tests.sample_plugins import entry_points


@pytest.fixture
def forms_portal(make_app: Callable[..., Flask], tmp_path: Any) -> Portal:
    app = make_app(
        PLUGINS="permits",
        PLUGIN_ENTRY_POINTS=entry_points(permits=PERMITS),
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
    )
    return Portal(app)


def submit(client: FlaskClient) -> str:
    """Fill in and send a fishing licence application; return its reference."""
    answer_everything(client)
    check = page(client.get(CHECK))
    key = re.search(r'name="submission_key" value="([^"]+)"', check)
    assert key is not None, check
    sent = client.post(CHECK, data={"submission_key": key.group(1)})
    assert sent.status_code == 303, page(sent)
    with_reference = re.search(r"(PRM-[0-9A-Z]{8})", sent.headers["Location"])
    assert with_reference is not None, sent.headers["Location"]
    return with_reference.group(1)


def register_rajesh(portal: Portal) -> FlaskClient:
    client = portal.client()
    record = portal.app.extensions["gateway"].registry.lookup(RAJESH["id_number"])
    assert record is not None
    portal.register(client, person=RAJESH, mobile=record.mobile, username="rajesh86", email="rajesh@example.com")
    return client


def notifications(app: Flask) -> list[Notification]:
    with app.extensions["gateway"].database.session_factory() as db:
        return list(db.scalars(select(Notification).order_by(Notification.id)).all())


def notification_messages(app: Flask) -> list[OutboxMessage]:
    with app.extensions["gateway"].database.session_factory() as db:
        query = select(OutboxMessage).where(OutboxMessage.purpose == PURPOSE).order_by(OutboxMessage.id)
        return list(db.scalars(query).all())


def application_named(app: Flask, reference: str) -> Application:
    with app.extensions["gateway"].database.session_factory() as db:
        return db.scalars(select(Application).where(Application.reference == reference)).one()
