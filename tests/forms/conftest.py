"""Helpers for the forms tests: a portal with the permits test plugin and a signed-in Ahmed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.forms import Draft
from tests.identity.conftest import Portal
from tests.sample_plugins import entry_points

PERMITS = "tests.sample_plugins.permits.plugin"
START = "/apply/permits/fishing_licence/"
STEP = "/apply/permits/fishing_licence/"
CHECK = "/apply/permits/fishing_licence/check"

EMAIL = {"email": "ahmed@example.com"}
BOAT = {
    "boat_name": "Al Bahr",
    "length": "12.5",
    "region": "makkah",
    "hull": "wood",
    "registered_on": "15/07/1440",
    "notes": "",
}


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


@pytest.fixture
def ahmed(forms_portal: Portal) -> FlaskClient:
    """A client signed in as Ahmed (registered on the way)."""
    client = forms_portal.client()
    forms_portal.register(client)
    return client


def drafts(app: Flask) -> list[Draft]:
    with app.extensions["gateway"].database.session_factory() as db:
        return list(db.scalars(select(Draft)).all())


def page(response: Any) -> str:
    return str(response.get_data(as_text=True))


def english(client: FlaskClient) -> FlaskClient:
    client.set_cookie("lang", "en")
    return client


def arabic(client: FlaskClient) -> FlaskClient:
    client.set_cookie("lang", "ar")
    return client


def answer_everything(client: FlaskClient, *, crew: bool = False) -> None:
    """Walk through every step with good answers, ending on the check page."""
    assert client.get(START).status_code == 303
    assert client.post(STEP + "personal", data=EMAIL).status_code == 303
    response = client.post(STEP + "boat", data={**BOAT, **({"has_crew": "y"} if crew else {})})
    assert response.status_code == 303, page(response)
    if crew:
        response = client.post(
            STEP + "crew",
            data={"members-rows": "1", "members-0-national_id": "1000000008", "members-0-name": "Saeed"},
        )
        assert response.status_code == 303, page(response)
    assert response.headers["Location"].endswith("/check")
