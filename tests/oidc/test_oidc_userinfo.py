"""Userinfo claims by scope, the opaque subject, bearer errors and token revocation (RFC 7009)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from gateway.identity.models import Person
from tests.oidc.oidc_flow import (
    RegisteredClient,
    add_client,
    add_person,
    authorization_params,
    client_auth,
    decode_id_token,
    new_pkce,
    redeem,
    redirect_params,
    refresh,
    sign_in,
    tokens_for,
    userinfo,
)

ALL_SCOPES = ["openid", "profile", "email", "phone", "national_id"]


def test_userinfo_releases_claims_by_scope(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app, scopes=ALL_SCOPES)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp, scope="openid profile email phone")
    response = userinfo(browser, tokens["access_token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    claims = response.get_json()
    assert claims["sub"] == decode_id_token(browser, tokens["id_token"])["sub"]
    assert (claims["name"], claims["given_name"], claims["family_name"]) == ("Sara Alotaibi", "Sara", "Alotaibi")
    assert (claims["name#ar"], claims["given_name#ar"], claims["family_name#ar"]) == (
        "سارة العتيبي",
        "سارة",
        "العتيبي",
    )
    assert claims["birthdate"] == "1990-05-17"
    assert (claims["email"], claims["email_verified"]) == ("sara@example.com", False)
    assert (claims["phone_number"], claims["phone_number_verified"]) == ("+966501234567", True)
    assert "national_id" not in claims and "national_id_type" not in claims
    assert person.id_number not in response.get_data(as_text=True)


def test_the_id_number_is_released_only_under_its_own_scope(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app, scopes=ALL_SCOPES)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp, scope="openid")
    sub = decode_id_token(browser, tokens["id_token"])["sub"]
    minimal = userinfo(browser, tokens["access_token"]).get_json()
    assert minimal == {"sub": sub}
    with_id = userinfo(browser, tokens_for(browser, rp, scope="openid national_id")["access_token"]).get_json()
    assert with_id == {"sub": sub, "national_id": "1012345672", "national_id_type": "citizen"}


def test_a_public_subject_is_opaque_stable_and_per_person(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    first_rp = add_client(oidc_app, subject_type="public")
    second_rp = add_client(oidc_app, subject_type="public")
    sign_in(browser, person)
    subjects = {decode_id_token(browser, tokens_for(browser, rp)["id_token"])["sub"] for rp in (first_rp, second_rp)}
    sign_in(browser, person, auth_time=1_800_000_000)
    subjects.add(decode_id_token(browser, tokens_for(browser, first_rp)["id_token"])["sub"])
    assert subjects == {person.subject}
    assert person.id_number not in person.subject
    assert len(person.subject) >= 20

    other = add_person(oidc_app, id_number="2123456789", id_type="resident")
    other_browser = oidc_app.test_client()
    sign_in(other_browser, other)
    other_sub = decode_id_token(other_browser, tokens_for(other_browser, first_rp)["id_token"])["sub"]
    assert other_sub not in subjects


def test_userinfo_without_or_with_a_bad_token_is_401_with_a_challenge(browser: FlaskClient) -> None:
    missing = browser.get("/oidc/userinfo")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="bawaba"'
    assert missing.get_json()["error"] == "invalid_token"

    forged = browser.post("/oidc/userinfo", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401
    assert forged.headers["WWW-Authenticate"] == 'Bearer realm="bawaba", error="invalid_token"'

    for authorization in ("Bearer not-a-real-token", "Bearer " + "x" * 5000, "Basic dXNlcjpwYXNz", "Bearer", "bearer "):
        response = browser.get("/oidc/userinfo", headers={"Authorization": authorization})
        assert response.status_code == 401, authorization
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="bawaba"')
        assert response.get_json()["error"] == "invalid_token"


def test_userinfo_accepts_post_without_a_csrf_token(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    someone = add_person(app, id_number="1023456781")
    rp = add_client(app)
    sign_in(browser, someone)
    query_token = _tokens_with_csrf(browser, rp)
    response = browser.post("/oidc/userinfo", headers={"Authorization": f"Bearer {query_token}"})
    assert response.status_code == 200


def _tokens_with_csrf(browser: FlaskClient, rp: RegisteredClient) -> str:
    """Consent with the form's real CSRF token, then redeem the code (the token endpoint is exempt)."""
    pkce = new_pkce()
    query = authorization_params(rp, pkce)
    page = browser.get("/oidc/authorize", query_string=query).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    csrf_token = found.group(1)
    allowed = browser.post(
        "/oidc/authorize/decision", query_string=query, data={"decision": "allow", "csrf_token": csrf_token}
    )
    code = redirect_params(allowed)["code"]
    response = redeem(browser, rp, code, pkce.verifier)
    assert response.status_code == 200, response.get_json()
    access_token: str = response.get_json()["access_token"]
    return access_token


def test_revoking_an_access_token_ends_the_grant(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    form = {"token": tokens["access_token"], "token_type_hint": "access_token"}
    response = browser.post("/oidc/revoke", data=form, headers=client_auth(rp))
    assert response.status_code == 200
    assert userinfo(browser, tokens["access_token"]).status_code == 401
    assert refresh(browser, rp, tokens["refresh_token"]).get_json()["error"] == "invalid_grant"


def test_revoking_a_refresh_token_ends_the_grant(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app, auth_method="client_secret_post")
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    response = browser.post(
        "/oidc/revoke",
        data={"token": tokens["refresh_token"], "client_id": rp.client_id, "client_secret": rp.secret or ""},
    )
    assert response.status_code == 200
    assert userinfo(browser, tokens["access_token"]).status_code == 401
    assert refresh(browser, rp, tokens["refresh_token"]).status_code == 400


def test_revocation_checks_the_client(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    other = add_client(oidc_app)
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    unknown = browser.post("/oidc/revoke", data={"token": "never-issued"}, headers=client_auth(rp))
    assert unknown.status_code == 200, "RFC 7009: an unknown token is not an error"
    foreign = browser.post("/oidc/revoke", data={"token": tokens["access_token"]}, headers=client_auth(other))
    assert foreign.status_code == 400
    assert userinfo(browser, tokens["access_token"]).status_code == 200, "another client cannot revoke it"
    anonymous = browser.post("/oidc/revoke", data={"token": tokens["access_token"]})
    assert anonymous.status_code in (400, 401)
    assert anonymous.get_json()["error"] == "invalid_client"
    missing = browser.post("/oidc/revoke", data={}, headers=client_auth(rp))
    assert (missing.status_code, missing.get_json()["error"]) == (400, "invalid_request")
