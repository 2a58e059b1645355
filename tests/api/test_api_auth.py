"""Who may call the API: only a live access token with ``openid applications``, and only for its person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import update

from gateway.oidc.models import OAuthToken
from tests.api.api_flow import SERVICE, Caller, caller_for
from tests.oidc.oidc_flow import run_sql

PROTECTED = [
    "/api/v1/programs",
    SERVICE + "/form",
    SERVICE + "/draft",
    "/api/v1/applications",
    "/api/v1/applications/PRM-ABCDEFGH",
]


def test_without_a_token_every_route_is_401_with_a_bearer_challenge(api_app: Flask) -> None:
    client = api_app.test_client()
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer ")
        assert response.get_json()["error"]["code"] == 401
    for path in (SERVICE + "/submit",):
        response = client.post(path, json={"submission_key": "k" * 20})
        assert response.status_code == 401
    assert client.put(SERVICE + "/draft", json={"step": "personal", "data": {}}).status_code == 401


def test_a_bad_token_or_a_session_cookie_is_not_enough(api_app: Flask, sara: Caller) -> None:
    client = api_app.test_client()
    response = client.get("/api/v1/programs", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    response = client.get("/api/v1/programs", headers={"Authorization": f"Basic {sara.access_token}"})
    assert response.status_code == 401
    with client.session_transaction() as session:  # signed in on the pages, but no token
        session["person_id"] = sara.person.id
    assert client.get("/api/v1/applications").status_code == 401


def test_an_expired_token_is_401(api_app: Flask, sara: Caller) -> None:
    assert sara.get("/api/v1/programs").status_code == 200
    past = datetime.now(UTC) - timedelta(minutes=1)
    run_sql(api_app, update(OAuthToken).values(access_expires_at=past))
    response = sara.get("/api/v1/programs")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_is_401(api_app: Flask, sara: Caller) -> None:
    run_sql(api_app, update(OAuthToken).values(revoked_at=datetime.now(UTC)))
    assert sara.get("/api/v1/applications").status_code == 401


def test_a_token_without_the_applications_scope_is_403(api_app: Flask) -> None:
    app_without = caller_for(api_app, scope="openid profile")
    response = app_without.get("/api/v1/applications")
    assert response.status_code == 403
    challenge = response.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="openid applications"' in challenge
    assert response.get_json()["error"]["name"] == "insufficient_scope"
    app_without.language = "ar"
    title = app_without.get("/api/v1/applications").get_json()["error"]["title"]
    assert any("\u0600" <= letter <= "\u06ff" for letter in title), title


def test_the_api_takes_no_csrf_token_and_is_never_cached(make_api_app: Callable[..., Flask], sara: Caller) -> None:
    # A second portal on the same database, with CSRF protection on as in production.
    sara.client = make_api_app(WTF_CSRF_ENABLED=True).test_client()
    response = sara.put(SERVICE + "/draft", {"step": "personal", "data": {"email": "sara@example.com"}})
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"


def test_programs_list_names_in_both_languages(sara: Caller) -> None:
    response = sara.get("/api/v1/programs")
    assert response.status_code == 200
    programs = response.get_json()["programs"]
    assert [program["slug"] for program in programs] == ["permits"]
    service = programs[0]["services"][0]
    assert service["slug"] == "fishing_licence"
    assert service["has_form"] is True
    assert service["name"]["en"] == "Fishing licence"
    assert set(service["name"]) == {"ar", "en"}


def test_form_schema_is_the_declaration(sara: Caller) -> None:
    form = sara.get(SERVICE + "/form").get_json()
    assert [step["slug"] for step in form["steps"]] == ["personal", "boat", "crew"]
    crew = form["steps"][2]
    assert crew["conditional"] is True
    assert crew["fields"][0]["widget"] == "group"
    assert [cell["name"] for cell in crew["fields"][0]["fields"]] == ["national_id", "name"]
    personal = {field["name"]: field for field in form["steps"][0]["fields"]}
    assert personal["mobile"]["read_only"] is True
    assert sara.get("/api/v1/programs/permits/services/nope/form").status_code == 404
    assert sara.get("/api/v1/programs/nope/services/fishing_licence/form").get_json()["error"]["code"] == 404
