"""Discovery document, JWKS and the signing key's life (generated once, 0600, or configured)."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc.jwk import RSAKey

from gateway.oidc import init_oidc
from gateway.oidc.keys import GENERATED_KEY_NAME, load_signing_key
from gateway.settings import ConfigError


def test_the_discovery_document_describes_the_hardened_profile(browser: FlaskClient) -> None:
    response = browser.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    document = response.get_json()
    assert document["issuer"] == "http://localhost"
    for name, path in [
        ("authorization_endpoint", "/oidc/authorize"),
        ("token_endpoint", "/oidc/token"),
        ("userinfo_endpoint", "/oidc/userinfo"),
        ("revocation_endpoint", "/oidc/revoke"),
        ("jwks_uri", "/oidc/jwks"),
    ]:
        assert document[name] == "http://localhost" + path
    assert document["response_types_supported"] == ["code"]
    assert document["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["scopes_supported"] == ["openid", "profile", "email", "phone", "national_id", "applications"]
    assert {"sub", "auth_time", "acr", "amr", "national_id", "given_name#ar"} <= set(document["claims_supported"])
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "none",
    }
    assert document["subject_types_supported"] == ["pairwise", "public"]
    assert document["request_uri_parameter_supported"] is False


def test_a_configured_issuer_is_used_everywhere(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(OIDC_ISSUER="https://portal.example/")
    document = app.test_client().get("/.well-known/openid-configuration").get_json()
    assert document["issuer"] == "https://portal.example"
    assert document["token_endpoint"] == "https://portal.example/oidc/token"


def test_the_jwks_publishes_the_public_key_with_its_thumbprint(
    oidc_app: Flask, browser: FlaskClient, oidc_key_file: Path
) -> None:
    jwks = browser.get("/oidc/jwks").get_json()
    [key] = jwks["keys"]
    assert set(key) == {"kty", "n", "e", "kid", "use", "alg"}, "never a private parameter"
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["kid"] == RSAKey.import_key(oidc_key_file.read_bytes()).thumbprint()


def test_without_a_key_file_one_is_generated_once_and_kept_private(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    first = make_app(PLUGINS="")
    if "oidc" not in first.extensions:
        init_oidc(first)
    key_path = Path(first.instance_path) / GENERATED_KEY_NAME
    assert not key_path.exists(), "building an app generates no key"
    published = first.test_client().get("/oidc/jwks").get_json()["keys"][0]
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    second = make_app(PLUGINS="")
    if "oidc" not in second.extensions:
        init_oidc(second)
    assert second.extensions["oidc"].keys.get().kid == published["kid"], "the instance's key is reused"
    assert [path.name for path in key_path.parent.iterdir() if path.name.startswith(".oidc-key-")] == []


def test_a_missing_or_wrong_key_file_stops_the_boot_clearly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the OpenID Connect signing key"):
        load_signing_key(str(tmp_path / "absent.pem"), tmp_path)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    with pytest.raises(ConfigError, match="not an RSA private key"):
        load_signing_key(str(garbage), tmp_path)
    public = tmp_path / "public.pem"
    public.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=False))
    with pytest.raises(ConfigError, match="public key"):
        load_signing_key(str(public), tmp_path)


def test_plain_http_to_a_public_host_is_refused_not_crashed(oidc_app: Flask) -> None:
    browser = oidc_app.test_client()
    token = browser.post("/oidc/token", data={"grant_type": "authorization_code"}, base_url="http://portal.example")
    assert (token.status_code, token.get_json()["error"]) == (400, "insecure_transport")
    revoke = browser.post("/oidc/revoke", data={"token": "x"}, base_url="http://portal.example")
    assert (revoke.status_code, revoke.get_json()["error"]) == (400, "insecure_transport")
    authorize = browser.get("/oidc/authorize?client_id=x&redirect_uri=y", base_url="http://portal.example")
    assert authorize.status_code == 400
