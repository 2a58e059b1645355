"""Logout for apps (issue 11 item 10): signing out of the portal reaches every app; a planted link signs no one out.

A real HTTP server plays an app's back-channel logout endpoint; the logout
token goes through the task queue and is verified against the JWKS. A
logout link without the session's ID token only shows a confirmation page,
and a post-logout address the app did not register is never redirected to.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.tasks import get_tasks
from tests.oidc.logout_receiver import logout_receiver
from tests.oidc.oidc_flow import add_client, add_person, decode_id_token, sign_in, tokens_for, userinfo
from tests.security.verdict import note


def test_portal_sign_out_signs_the_person_out_of_every_app(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="")
    person = add_person(app)
    browser = app.test_client()
    with logout_receiver() as receiver:
        rp = add_client(app, backchannel_logout_uri=receiver.url)
        sign_in(browser, person)
        tokens = tokens_for(browser, rp)
        browser.post("/account/sign-out")
        assert userinfo(browser, tokens["access_token"]).status_code == 401
        assert receiver.logout_tokens == []
        get_tasks(app).run_pending()
        keys = KeySet.import_key_set(browser.get("/oidc/jwks").get_json())
        claims = jwt.decode(receiver.logout_tokens[0], keys, algorithms=["RS256"]).claims
        assert claims["sid"] == decode_id_token(browser, tokens["id_token"])["sid"]
    note(__name__, "portal sign-out: the app's tokens revoked, a signed logout token delivered by the worker")


def test_a_planted_logout_link_signs_no_one_out_and_redirects_nowhere_unregistered(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(PLUGINS="")
    person = add_person(app)
    browser = app.test_client()
    rp = add_client(app, post_logout_redirect_uris=["https://rp.example/bye"])
    sign_in(browser, person)
    tokens_for(browser, rp)
    planted = browser.get("/oidc/logout", query_string={"client_id": rp.client_id})
    assert planted.status_code == 200 and 'id="logout-form"' in planted.get_data(as_text=True)
    evil = browser.get(
        "/oidc/logout", query_string={"client_id": rp.client_id, "post_logout_redirect_uri": "https://evil.example/"}
    )
    assert evil.status_code == 400 and "Location" not in evil.headers
    with browser.session_transaction() as flask_session:
        assert flask_session.get("person_id") == person.id
    note(__name__, "logout link without the session's ID token: confirmation page; unregistered return address: 400")
