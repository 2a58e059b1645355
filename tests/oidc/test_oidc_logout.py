"""Logout for apps: RP-initiated logout (end_session_endpoint) and back-channel logout tokens.

The back-channel tests run a real HTTP server as the app's logout endpoint;
the token goes out through the task queue (``run_pending`` does what
``gateway worker`` would), never inside the sign-out request, and the test
verifies its signature with the provider's published JWKS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.identity.models import Person
from gateway.oidc.backchannel import EVENT
from gateway.tasks import get_tasks
from tests.oidc.logout_receiver import LogoutReceiver, logout_receiver
from tests.oidc.oidc_flow import (
    RegisteredClient,
    add_client,
    add_person,
    decode_id_token,
    sign_in,
    tokens_for,
    userinfo,
)

AFTER_LOGOUT = "https://rp.example/signed-out"


@pytest.fixture
def receiver() -> Iterator[LogoutReceiver]:
    with logout_receiver() as running:
        yield running


def signed_in_person(browser: FlaskClient) -> Any:
    with browser.session_transaction() as flask_session:
        return flask_session.get("person_id")


def verify_logout_token(browser: FlaskClient, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = KeySet.import_key_set(browser.get("/oidc/jwks").get_json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    return dict(decoded.header), dict(decoded.claims)


def app_with_logout(app: Flask, receiver: LogoutReceiver | None = None, **options: Any) -> RegisteredClient:
    return add_client(
        app,
        post_logout_redirect_uris=[AFTER_LOGOUT],
        backchannel_logout_uri=receiver.url if receiver else None,
        **options,
    )


def test_discovery_advertises_logout(browser: FlaskClient) -> None:
    document = browser.get("/.well-known/openid-configuration").get_json()
    assert document["end_session_endpoint"] == "http://localhost/oidc/logout"
    assert document["backchannel_logout_supported"] is True
    assert document["backchannel_logout_session_supported"] is True


def test_an_app_with_the_sessions_id_token_signs_the_person_out_and_comes_back(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = app_with_logout(oidc_app)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    response = browser.get(
        "/oidc/logout",
        query_string={"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": AFTER_LOGOUT, "state": "s-1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == AFTER_LOGOUT + "?state=s-1"
    assert response.headers["Cache-Control"] == "no-store"
    assert signed_in_person(browser) is None
    assert userinfo(browser, tokens["access_token"]).status_code == 401, "the session's tokens are revoked"


def test_a_posted_logout_request_is_turned_into_the_same_get(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = app_with_logout(oidc_app)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    posted = browser.post("/oidc/logout", data={"id_token_hint": tokens["id_token"], "client_id": rp.client_id})
    assert posted.status_code == 303 and signed_in_person(browser) == person.id
    location = urlsplit(posted.headers["Location"])
    finished = browser.get(f"{location.path}?{location.query}")
    assert finished.status_code == 200 and "signed-out-title" in finished.get_data(as_text=True)
    assert signed_in_person(browser) is None


def test_without_a_hint_the_portal_asks_first(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = app_with_logout(oidc_app)
    sign_in(browser, person)
    query = {"client_id": rp.client_id, "post_logout_redirect_uri": AFTER_LOGOUT, "state": "s-2"}
    page = browser.get("/oidc/logout", query_string=query)
    assert page.status_code == 200 and 'id="logout-form"' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert signed_in_person(browser) == person.id, "a link alone signs no one out"

    stay = browser.post("/oidc/logout/confirm", query_string=query, data={"decision": "stay"})
    assert stay.status_code == 303 and urlsplit(stay.headers["Location"]).path == "/"
    assert signed_in_person(browser) == person.id

    confirmed = browser.post("/oidc/logout/confirm", query_string=query, data={"decision": "sign_out"})
    assert confirmed.headers["Location"] == AFTER_LOGOUT + "?state=s-2"
    assert signed_in_person(browser) is None


def test_a_hint_from_another_session_or_person_asks_first(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = app_with_logout(oidc_app)
    sign_in(browser, person)
    old_hint = tokens_for(browser, rp)["id_token"]
    with browser.session_transaction() as flask_session:
        flask_session.clear()  # a new sign-in starts an empty session, with a new sid
    sign_in(browser, person)
    tokens_for(browser, rp)
    page = browser.get("/oidc/logout", query_string={"id_token_hint": old_hint})
    assert page.status_code == 200 and 'id="logout-form"' in page.get_data(as_text=True)
    assert signed_in_person(browser) == person.id


@pytest.mark.parametrize(
    "query",
    [
        {"post_logout_redirect_uri": "https://evil.example/"},  # no client named
        {"client_id": "CLIENT", "post_logout_redirect_uri": "https://evil.example/"},
        {"client_id": "CLIENT", "post_logout_redirect_uri": AFTER_LOGOUT + "/more"},
        {"client_id": "CLIENT", "post_logout_redirect_uri": "https://rp.example/callback"},  # a redirect URI only
        {"id_token_hint": "not-a-token"},
        {"id_token_hint": "HINT", "client_id": "OTHER"},
    ],
)
def test_unregistered_addresses_and_forged_hints_get_an_error_page_and_change_nothing(
    oidc_app: Flask, browser: FlaskClient, person: Person, query: dict[str, str]
) -> None:
    rp = app_with_logout(oidc_app)
    other = app_with_logout(oidc_app)
    sign_in(browser, person)
    hint = tokens_for(browser, rp)["id_token"]
    values = {"CLIENT": rp.client_id, "OTHER": other.client_id, "HINT": hint}
    response = browser.get("/oidc/logout", query_string={k: values.get(v, v) for k, v in query.items()})
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert signed_in_person(browser) == person.id


def test_nobody_signed_in_goes_straight_back(oidc_app: Flask, browser: FlaskClient) -> None:
    rp = app_with_logout(oidc_app)
    response = browser.get(
        "/oidc/logout", query_string={"client_id": rp.client_id, "post_logout_redirect_uri": AFTER_LOGOUT}
    )
    assert response.status_code == 303 and response.headers["Location"] == AFTER_LOGOUT


def test_the_confirmation_form_is_csrf_protected(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(WTF_CSRF_ENABLED=True)
    someone = add_person(app)
    browser = app.test_client()
    sign_in(browser, someone)
    forged = browser.post("/oidc/logout/confirm", data={"decision": "sign_out"})
    assert forged.status_code == 400
    assert signed_in_person(browser) == someone.id


def test_signing_out_of_the_portal_sends_each_app_a_signed_logout_token_through_the_queue(
    oidc_app: Flask, browser: FlaskClient, person: Person, receiver: LogoutReceiver
) -> None:
    with logout_receiver() as second_receiver:
        first = app_with_logout(oidc_app, receiver)
        second = add_client(
            oidc_app, redirect_uris=["https://second.example/cb"], backchannel_logout_uri=second_receiver.url
        )
        silent = add_client(oidc_app, redirect_uris=["https://silent.example/cb"])  # registered no logout URI
        app_with_logout(oidc_app, receiver)  # shares the first's endpoint, never used in this session: not told
        sign_in(browser, person)
        id_tokens = {
            rp.client_id: decode_id_token(browser, tokens_for(browser, rp)["id_token"]) for rp in (first, second)
        }
        tokens_for(browser, silent)

        response = browser.post("/account/sign-out")
        assert response.status_code == 303
        assert receiver.bodies == [] and second_receiver.bodies == [], "nothing is sent inside the request"
        assert get_tasks(oidc_app).run_pending() == 2

        for rp, got in ((first, receiver), (second, second_receiver)):
            assert len(got.logout_tokens) == 1
            assert got.content_types == ["application/x-www-form-urlencoded"]
            header, claims = verify_logout_token(browser, got.logout_tokens[0])
            assert header["typ"] == "logout+jwt" and header["alg"] == "RS256"
            id_token = id_tokens[rp.client_id]
            assert claims["iss"] == id_token["iss"] == "http://localhost"
            assert claims["aud"] == rp.client_id
            assert claims["sub"] == id_token["sub"] and claims["sid"] == id_token["sid"]
            assert claims["events"] == {EVENT: {}}
            assert "nonce" not in claims and claims["jti"]
            assert claims["iat"] <= claims["exp"] <= claims["iat"] + 120
        first_sub = verify_logout_token(browser, receiver.logout_tokens[0])[1]["sub"]
        second_sub = verify_logout_token(browser, second_receiver.logout_tokens[0])[1]["sub"]
        assert first_sub != second_sub, "each app gets its own pairwise sub"


def test_an_app_that_is_down_gets_the_token_again_with_back_off(
    oidc_app: Flask, browser: FlaskClient, person: Person, receiver: LogoutReceiver
) -> None:
    rp = app_with_logout(oidc_app, receiver)
    sign_in(browser, person)
    tokens_for(browser, rp)
    receiver.statuses = [503, 500]
    browser.post("/account/sign-out")
    queue = get_tasks(oidc_app)
    assert queue.run_pending() == 1 and len(receiver.bodies) == 1
    assert queue.run_pending() == 0, "the retry waits for its back-off"
    later = datetime.now(UTC) + timedelta(seconds=11)
    assert queue.run_pending(later) == 1 and len(receiver.bodies) == 2
    assert queue.run_pending(later + timedelta(seconds=31)) == 1 and len(receiver.bodies) == 3
    jtis = {verify_logout_token(browser, token)[1]["jti"] for token in receiver.logout_tokens}
    assert len(jtis) == 1, "every attempt of one logout carries the same jti"
    assert queue.run_pending(later + timedelta(hours=2)) == 0, "delivered: nothing left"


def test_an_app_ending_the_session_signs_the_person_out_of_the_other_apps(
    oidc_app: Flask, browser: FlaskClient, person: Person, receiver: LogoutReceiver
) -> None:
    initiator = app_with_logout(oidc_app)
    other = app_with_logout(oidc_app, receiver)
    sign_in(browser, person)
    hint = tokens_for(browser, initiator)["id_token"]
    other_tokens = tokens_for(browser, other)
    assert browser.get("/oidc/logout", query_string={"id_token_hint": hint}).status_code == 200
    assert signed_in_person(browser) is None
    get_tasks(oidc_app).run_pending()
    claims = verify_logout_token(browser, receiver.logout_tokens[0])[1]
    assert claims["aud"] == other.client_id
    assert claims["sub"] == decode_id_token(browser, other_tokens["id_token"])["sub"]
    assert userinfo(browser, other_tokens["access_token"]).status_code == 401
