"""``gateway oidc``: register, list and revoke clients; revoke tokens by person or client."""

from __future__ import annotations

import re

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from gateway.cli import cli
from gateway.identity.models import Person
from gateway.oidc.models import OAuthClient
from gateway.oidc.secrets import hash_secret
from tests.oidc.oidc_flow import add_client, add_person, sign_in, tokens_for, userinfo


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(cli, ["oidc", *args], obj=ScriptInfo(create_app=lambda: app))


def printed(result: Result, label: str) -> str:
    found = re.search(rf"^{label}:\s+(\S+)$", result.output, re.MULTILINE)
    assert found is not None, result.output
    return found.group(1)


def stored_client(app: Flask, client_id: str) -> OAuthClient:
    with app.app_context():
        session = app.extensions["gateway"].db_session()
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        assert client is not None
        session.expunge(client)
        return client


def test_add_client_prints_the_secret_once_and_stores_its_hash(oidc_app: Flask) -> None:
    result = run(
        oidc_app,
        "add-client",
        "--name",
        "Musaned Mobile",
        "--redirect-uri",
        "https://app.example/cb",
        "--redirect-uri",
        "http://localhost:8080/cb",
        "--scope",
        "profile",
        "--scope",
        "national_id",
    )
    assert result.exit_code == 0, result.output
    client_id = printed(result, "client_id")
    secret = printed(result, "client_secret")
    assert "shown only this once" in result.output
    stored = stored_client(oidc_app, client_id)
    assert stored.client_secret_hash == hash_secret(secret)
    assert stored.allowed_scopes == ["openid", "profile", "national_id"]
    assert stored.redirect_uris == ["https://app.example/cb", "http://localhost:8080/cb"]
    assert stored.token_endpoint_auth_method == "client_secret_basic"

    listing = run(oidc_app, "list-clients")
    assert listing.exit_code == 0
    assert client_id in listing.output and "Musaned Mobile" in listing.output
    assert secret not in listing.output


def test_add_a_public_client_has_no_secret(oidc_app: Flask) -> None:
    result = run(oidc_app, "add-client", "--name", "SPA", "--redirect-uri", "https://spa.example/cb", "--public")
    assert result.exit_code == 0, result.output
    assert "client_secret" not in result.output
    client_id = printed(result, "client_id")
    stored = stored_client(oidc_app, client_id)
    assert (stored.client_secret_hash, stored.token_endpoint_auth_method) == (None, "none")
    assert stored.allowed_scopes == ["openid", "profile", "email", "phone"]


UNSAFE_REDIRECT_URIS = (
    ("http://app.example/cb", "https"),
    ("https://app.example/cb#section", "fragment"),
    ("https://*.example/cb", "wildcard"),
    ("/relative/cb", "absolute"),
    ("https://user:pass@app.example/cb", "credentials"),
    ("javascript:alert(1)", "absolute"),
    ("https://app.example/c b", "spaces"),
)


def test_add_client_refuses_unsafe_redirect_uris(oidc_app: Flask) -> None:
    for uri, reason in UNSAFE_REDIRECT_URIS:
        result = run(oidc_app, "add-client", "--name", "Bad", "--redirect-uri", uri)
        assert result.exit_code == 2, uri
        assert reason in result.output, uri
    unknown_scope = ["--name", "X", "--redirect-uri", "https://a.example/cb", "--scope", "admin"]
    assert run(oidc_app, "add-client", *unknown_scope).exit_code == 2
    with oidc_app.app_context():
        assert oidc_app.extensions["gateway"].db_session().scalar(select(OAuthClient)) is None


def test_revoke_client_stops_sign_ins_and_kills_its_tokens(oidc_app: Flask, person: Person) -> None:
    rp = add_client(oidc_app)
    browser = oidc_app.test_client()
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    result = run(oidc_app, "revoke-client", rp.client_id)
    assert result.exit_code == 0, result.output
    assert "1 token(s) revoked" in result.output
    assert userinfo(browser, tokens["access_token"]).status_code == 401
    assert "revoked" in run(oidc_app, "list-clients").output
    assert run(oidc_app, "revoke-client", "bwb_unknown").exit_code == 2


def test_revoke_tokens_by_person_or_client(oidc_app: Flask, person: Person) -> None:
    rp = add_client(oidc_app)
    other_rp = add_client(oidc_app)
    someone_else = add_person(oidc_app, id_number="1023456781")
    browser, other_browser = oidc_app.test_client(), oidc_app.test_client()
    sign_in(browser, person)
    sign_in(other_browser, someone_else)
    mine = tokens_for(browser, rp)
    mine_elsewhere = tokens_for(browser, other_rp)
    theirs = tokens_for(other_browser, rp)

    by_person = run(oidc_app, "revoke-tokens", "--person", person.id_number)
    assert by_person.exit_code == 0, by_person.output
    assert "2 token(s) revoked" in by_person.output
    assert userinfo(browser, mine["access_token"]).status_code == 401
    assert userinfo(browser, mine_elsewhere["access_token"]).status_code == 401
    assert userinfo(other_browser, theirs["access_token"]).status_code == 200

    by_client = run(oidc_app, "revoke-tokens", "--client", rp.client_id)
    assert "1 token(s) revoked" in by_client.output
    assert userinfo(other_browser, theirs["access_token"]).status_code == 401

    assert run(oidc_app, "revoke-tokens").exit_code == 2
    assert "no person" in run(oidc_app, "revoke-tokens", "--person", "1999999999").output
    assert "no client" in run(oidc_app, "revoke-tokens", "--client", "bwb_nobody").output
