"""The token endpoint: code redemption, ID tokens, PKCE checks, reuse, rotation and expiry."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from gateway.audit.models import AuditEvent
from gateway.identity.models import Person
from gateway.oidc.models import OAuthAuthorizationCode, OAuthToken
from gateway.oidc.secrets import hash_secret
from tests.oidc.oidc_flow import (
    add_client,
    add_person,
    client_auth,
    decode_id_token,
    fetch_all,
    new_pkce,
    obtain_code,
    redeem,
    refresh,
    run_sql,
    sign_in,
    tokens_for,
    userinfo,
)


def test_a_code_buys_tokens_and_a_signed_id_token(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person, amr=["pwd", "otp"], auth_time=1_760_000_000)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce, nonce="n-0S6_WzA2Mj")
    response = redeem(browser, rp, code, pkce.verifier)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    tokens = response.get_json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["scope"] == "openid profile"
    assert tokens["refresh_token"] != tokens["access_token"]

    claims = decode_id_token(browser, tokens["id_token"])
    assert claims["iss"] == "http://localhost"
    assert claims["aud"] == rp.client_id
    assert claims["sub"] not in (person.subject, str(person.id)), "new clients get a pairwise sub"
    assert claims["sid"], "the portal session the app was signed in through, for logout"
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["auth_time"] == 1_760_000_000
    assert claims["acr"] == "urn:bawaba:loa:2"
    assert claims["amr"] == ["pwd", "otp"]
    assert claims["iat"] <= time.time() < claims["exp"] <= claims["iat"] + 3600
    assert "at_hash" in claims
    assert person.id_number not in tokens["id_token"]
    assert not {"name", "given_name", "birthdate", "national_id"} & set(claims), "personal data goes through userinfo"


def test_a_password_only_session_gets_the_lower_assurance_level(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person, amr=["pwd"])
    claims = decode_id_token(browser, tokens_for(browser, rp)["id_token"])
    assert (claims["acr"], claims["amr"]) == ("urn:bawaba:loa:1", ["pwd"])


def test_only_hashes_of_codes_and_tokens_are_stored(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    tokens = redeem(browser, rp, code, pkce.verifier).get_json()
    [code_row] = fetch_all(oidc_app, select(OAuthAuthorizationCode))
    [token_row] = fetch_all(oidc_app, select(OAuthToken))
    assert code_row.code_hash == hash_secret(code)
    assert token_row.access_token_hash == hash_secret(tokens["access_token"])
    assert token_row.refresh_token_hash == hash_secret(tokens["refresh_token"])
    with oidc_app.extensions["gateway"].database.engine.connect() as connection:
        dump = repr(
            [
                tuple(row)
                for table in ("oauth_authorization_codes", "oauth_tokens", "oauth_clients")
                for row in connection.exec_driver_sql(f"SELECT * FROM {table}")
            ]
        )
    for secret in (code, tokens["access_token"], tokens["refresh_token"], rp.secret):
        assert secret is not None and secret not in dump


def test_a_reused_code_fails_and_revokes_what_it_issued(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    first = redeem(browser, rp, code, pkce.verifier).get_json()
    assert userinfo(browser, first["access_token"]).status_code == 200

    second = redeem(browser, rp, code, pkce.verifier)
    assert second.status_code == 400
    assert second.get_json()["error"] == "invalid_grant"
    assert "access_token" not in second.get_json()
    assert userinfo(browser, first["access_token"]).status_code == 401
    assert refresh(browser, rp, first["refresh_token"]).get_json()["error"] == "invalid_grant"
    events = fetch_all(oidc_app, select(AuditEvent.event).order_by(AuditEvent.id))
    assert "oidc.code_reused" in events


def test_pkce_verifier_must_match(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    wrong = redeem(browser, rp, code, new_pkce().verifier)
    assert (wrong.status_code, wrong.get_json()["error"]) == (400, "invalid_grant")
    missing = redeem(browser, rp, code, None)
    assert (missing.status_code, missing.get_json()["error"]) == (400, "invalid_request")
    malformed = redeem(browser, rp, code, "short")
    assert malformed.get_json()["error"] == "invalid_request"
    assert redeem(browser, rp, code, pkce.verifier).status_code == 200, "failed attempts do not burn the code"


def test_the_redirect_uri_must_be_repeated_exactly(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app, redirect_uris=["https://rp.example/callback", "https://rp.example/other"])
    sign_in(browser, person)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    for redirect_uri in ("https://rp.example/other", "https://rp.example/callback/", ""):
        response = redeem(browser, rp, code, pkce.verifier, redirect_uri=redirect_uri)
        assert response.get_json()["error"] == "invalid_grant", redirect_uri


def test_codes_and_refresh_tokens_work_only_for_their_own_client(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    thief = add_client(oidc_app)
    sign_in(browser, person)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    stolen = redeem(browser, thief, code, pkce.verifier)
    assert stolen.get_json()["error"] == "invalid_grant"
    tokens = redeem(browser, rp, code, pkce.verifier).get_json()
    assert refresh(browser, thief, tokens["refresh_token"]).get_json()["error"] == "invalid_grant"
    assert refresh(browser, rp, tokens["refresh_token"]).status_code == 200


def test_client_authentication_is_enforced(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": rp.redirect_uri}
    form["code_verifier"] = pkce.verifier
    wrong_secret = browser.post("/oidc/token", data=form, auth=(rp.client_id, "not-the-secret"))
    assert (wrong_secret.status_code, wrong_secret.get_json()["error"]) == (401, "invalid_client")
    as_public = browser.post("/oidc/token", data={**form, "client_id": rp.client_id})
    assert as_public.get_json()["error"] == "invalid_client", "a confidential client cannot skip its secret"
    garbage = browser.post("/oidc/token", data=form, headers={"Authorization": "Basic %%%not-base64"})
    assert garbage.status_code in (400, 401)
    assert garbage.get_json()["error"] == "invalid_client"


def test_a_public_client_uses_pkce_alone(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app, auth_method="none")
    assert rp.secret is None
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    assert decode_id_token(browser, tokens["id_token"])["aud"] == rp.client_id
    rotated = refresh(browser, rp, tokens["refresh_token"])
    assert rotated.status_code == 200


def test_an_expired_code_is_refused(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(OIDC_CODE_SECONDS=30)
    browser = app.test_client()
    someone = add_person(app)
    rp = add_client(app)
    sign_in(browser, someone)
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce)
    [row] = fetch_all(app, select(OAuthAuthorizationCode))
    assert timedelta(seconds=29) < row.expires_at - row.created_at <= timedelta(seconds=30)
    run_sql(app, update(OAuthAuthorizationCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    response = redeem(browser, rp, code, pkce.verifier)
    assert (response.status_code, response.get_json()["error"]) == (400, "invalid_grant")


OTHER_GRANTS = (
    {"grant_type": "password", "username": "1012345672", "password": "secret-password"},
    {"grant_type": "client_credentials"},
    {"grant_type": "implicit"},
    {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "x.y.z"},
    {},
)


def test_only_the_code_and_refresh_grants_exist(oidc_app: Flask, browser: FlaskClient) -> None:
    rp = add_client(oidc_app)
    for form in OTHER_GRANTS:
        response = browser.post("/oidc/token", data=form, headers=client_auth(rp))
        assert response.status_code == 400, form
        assert response.get_json()["error"] == "unsupported_grant_type", form
    assert browser.get("/oidc/token?grant_type=authorization_code").status_code in (404, 405)


def test_refresh_tokens_rotate_and_a_replay_revokes_the_chain(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    first = tokens_for(browser, rp)
    second = refresh(browser, rp, first["refresh_token"])
    assert second.status_code == 200
    second_tokens = second.get_json()
    assert second_tokens["refresh_token"] not in (first["refresh_token"], None)
    assert second_tokens["access_token"] != first["access_token"]
    assert userinfo(browser, second_tokens["access_token"]).status_code == 200

    replay = refresh(browser, rp, first["refresh_token"])
    assert (replay.status_code, replay.get_json()["error"]) == (400, "invalid_grant")
    assert userinfo(browser, second_tokens["access_token"]).status_code == 401, "the chain is revoked"
    assert refresh(browser, rp, second_tokens["refresh_token"]).get_json()["error"] == "invalid_grant"
    revoked = fetch_all(oidc_app, select(AuditEvent.details).where(AuditEvent.event == "oidc.token_revoked"))
    assert any(details.get("reason") == "refresh_token_reused" for details in revoked)


def test_the_refresh_chain_has_an_absolute_expiry(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(OIDC_REFRESH_TOKEN_DAYS=7)
    browser = app.test_client()
    someone = add_person(app)
    rp = add_client(app)
    sign_in(browser, someone)
    first = tokens_for(browser, rp)
    second = refresh(browser, rp, first["refresh_token"]).get_json()
    rows = fetch_all(app, select(OAuthToken).order_by(OAuthToken.id))
    assert len(rows) == 2
    assert rows[0].refresh_expires_at == rows[1].refresh_expires_at, "rotation never extends the chain"
    assert rows[1].rotated_from == rows[0].id
    lifetime = rows[0].refresh_expires_at - rows[0].issued_at
    assert lifetime == timedelta(days=7)

    run_sql(app, update(OAuthToken).values(refresh_expires_at=datetime.now(UTC) + timedelta(seconds=100)))
    third = refresh(browser, rp, second["refresh_token"]).get_json()
    assert 0 < third["expires_in"] <= 100, "no access token outlives the chain"
    run_sql(app, update(OAuthToken).values(refresh_expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    expired = refresh(browser, rp, third["refresh_token"])
    assert (expired.status_code, expired.get_json()["error"]) == (400, "invalid_grant")


def test_a_refresh_may_narrow_the_scope_but_never_widen_it(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp, scope="openid profile")
    wider = refresh(browser, rp, tokens["refresh_token"], scope="openid profile email")
    assert wider.get_json()["error"] == "invalid_scope"
    narrower = refresh(browser, rp, tokens["refresh_token"], scope="openid")
    assert narrower.status_code == 200
    assert narrower.get_json()["scope"] == "openid"
    assert "name" not in userinfo(browser, narrower.get_json()["access_token"]).get_json()


def test_access_tokens_live_as_configured(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(OIDC_ACCESS_TOKEN_SECONDS=600)
    browser = app.test_client()
    someone = add_person(app)
    rp = add_client(app)
    sign_in(browser, someone)
    tokens = tokens_for(browser, rp)
    assert tokens["expires_in"] == 600
    claims = decode_id_token(browser, tokens["id_token"])
    assert claims["exp"] - claims["iat"] == 600
    assert userinfo(browser, tokens["access_token"]).status_code == 200
    run_sql(app, update(OAuthToken).values(access_expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert userinfo(browser, tokens["access_token"]).status_code == 401
