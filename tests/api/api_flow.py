"""Helpers that get a real access token from the portal's provider and call the API with it.

Kept out of ``conftest.py`` so test modules import them under one unique
name (``tests.api.api_flow``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from gateway.identity.models import Person
from tests.oidc.oidc_flow import add_client, add_person, sign_in, tokens_for

PERMITS = "tests.sample_plugins.permits.plugin"
SERVICE = "/api/v1/programs/permits/services/fishing_licence"
SARA_ID = "1012345672"
OMAR_ID = "1000000008"

PERSONAL = {"email": "sara@example.com"}
BOAT = {
    "boat_name": "Al Bahr",
    "length": 12.5,
    "region": "makkah",
    "hull": "wood",
    "registered_on": "15/07/1440",
    "notes": "",
}


@dataclass
class Caller:
    """A person's app: the test client and the bearer token it sends."""

    client: FlaskClient
    person: Person
    access_token: str
    language: str = "en"

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "Accept-Language": self.language, **extra}

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers())

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, json=body, headers=self.headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, json=body, headers=self.headers())


def access_token(app: Flask, person: Person, scope: str = "openid applications") -> str:
    """Go through /oidc/authorize (with consent) and /oidc/token, as a real app would."""
    rp = add_client(app, scopes=["openid", "profile", "applications"])
    browser = app.test_client()
    sign_in(browser, person)
    token: str = tokens_for(browser, rp, scope=scope)["access_token"]
    return token


def caller_for(app: Flask, id_number: str = SARA_ID, scope: str = "openid applications", **fields: Any) -> Caller:
    person = add_person(app, id_number, **fields)
    return Caller(app.test_client(), person, access_token(app, person, scope))


def fill_draft(caller: Caller, *, crew: bool = False) -> None:
    """Save every step with good answers."""
    response = caller.put(SERVICE + "/draft", {"step": "personal", "data": PERSONAL})
    assert response.status_code == 200, response.get_json()
    response = caller.put(SERVICE + "/draft", {"step": "boat", "data": {**BOAT, "has_crew": crew}})
    assert response.status_code == 200, response.get_json()
    if crew:
        members = [{"national_id": OMAR_ID, "name": "Saeed"}]
        response = caller.put(SERVICE + "/draft", {"step": "crew", "data": {"members": members}})
        assert response.status_code == 200, response.get_json()
