"""A real relying party (Authlib's requests client) signs a person in through a live portal.

The portal runs in a real HTTP server on a free local port with CSRF
protection on; the "browser" is a ``requests.Session`` that signs in through a
test-only route, reads the consent form and posts it with its CSRF token. The
relying party discovers the endpoints, redeems the code with PKCE (S256),
verifies the ID token's signature against the published JWKS and its
iss/aud/nonce/exp claims, calls userinfo, rotates and revokes its tokens.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from flask import Flask, session
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from werkzeug.serving import make_server

from gateway.identity.models import Person
from tests.oidc.oidc_flow import RegisteredClient, add_client, add_person

RP_CALLBACK = "https://rp.example/callback"


@dataclass(frozen=True)
class LivePortal:
    app: Flask
    base_url: str

    def discover(self) -> dict[str, Any]:
        document: dict[str, Any] = requests.get(f"{self.base_url}/.well-known/openid-configuration", timeout=5).json()
        return document


@pytest.fixture
def live_portal(make_oidc_app: Callable[..., Flask]) -> Iterator[LivePortal]:
    app = make_oidc_app(WTF_CSRF_ENABLED=True)

    @app.get("/test-only/sign-in/<int:person_id>")
    def test_only_sign_in(person_id: int) -> str:
        """Stands in for the portal's password + code sign-in, which has its own tests."""
        session["person_id"] = person_id
        session["auth_time"] = 1_760_000_000
        session["amr"] = ["pwd", "otp"]
        return "signed in"

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LivePortal(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def browser_for(portal: LivePortal, person: Person) -> requests.Session:
    browser = requests.Session()
    assert browser.get(f"{portal.base_url}/test-only/sign-in/{person.id}", timeout=5).text == "signed in"
    return browser


def consent(portal: LivePortal, browser: requests.Session, authorization_url: str) -> str:
    """Open the consent page, allow with the form's CSRF token; return where the portal redirects."""
    page = browser.get(authorization_url, allow_redirects=False, timeout=5)
    if page.status_code == 302:  # consent given earlier is remembered
        remembered: str = page.headers["Location"]
        return remembered
    assert page.status_code == 200, page.text[:300]
    form = re.search(r'<form id="consent-form" method="post" action="([^"]+)"', page.text)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert form is not None and token is not None
    action = urljoin(portal.base_url, form.group(1).replace("&amp;", "&"))
    allowed = browser.post(
        action, data={"decision": "allow", "csrf_token": token.group(1)}, allow_redirects=False, timeout=5
    )
    assert allowed.status_code == 302, allowed.text[:300]
    location: str = allowed.headers["Location"]
    return location


def relying_party(rp: RegisteredClient, scope: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=rp.client_id,
        client_secret=rp.secret,
        scope=scope,
        redirect_uri=rp.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=rp.auth_method if rp.secret else "none",
    )


def verify_id_token(portal: LivePortal, metadata: dict[str, Any], id_token: str, client_id: str, nonce: str) -> Any:
    jwks = requests.get(metadata["jwks_uri"], timeout=5).json()
    token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert token.header["kid"] == jwks["keys"][0]["kid"]
    JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_a_confidential_relying_party_signs_a_person_in(live_portal: LivePortal) -> None:
    person = add_person(live_portal.app)
    rp = add_client(live_portal.app, redirect_uris=[RP_CALLBACK], scopes=["openid", "profile", "email", "national_id"])
    metadata = live_portal.discover()
    assert metadata["issuer"] == live_portal.base_url
    assert metadata["code_challenge_methods_supported"] == ["S256"]

    client = relying_party(rp, "openid profile national_id")
    code_verifier = generate_token(64)
    nonce = generate_token(20)
    authorization_url, state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    assert "code_challenge_method=S256" in authorization_url
    callback = consent(live_portal, browser_for(live_portal, person), authorization_url)
    assert callback.startswith(RP_CALLBACK + "?")
    assert parse_qs(urlsplit(callback).query)["state"] == [state]

    token = client.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier)
    claims = verify_id_token(live_portal, metadata, token["id_token"], rp.client_id, nonce)
    assert claims["sub"] != person.subject and len(claims["sub"]) == 43  # pairwise: base64url of a SHA-256 HMAC
    assert (claims["acr"], claims["amr"], claims["auth_time"]) == ("urn:bawaba:loa:2", ["pwd", "otp"], 1_760_000_000)

    info = client.get(metadata["userinfo_endpoint"], timeout=5).json()
    assert info["sub"] == claims["sub"]
    assert (info["given_name"], info["given_name#ar"], info["national_id"]) == ("Sara", "سارة", person.id_number)

    old_refresh = token["refresh_token"]
    rotated = client.refresh_token(metadata["token_endpoint"])
    assert rotated["refresh_token"] != old_refresh
    assert client.get(metadata["userinfo_endpoint"], timeout=5).status_code == 200
    with pytest.raises(OAuthError) as replayed:
        relying_party(rp, "openid").refresh_token(metadata["token_endpoint"], refresh_token=old_refresh)
    assert replayed.value.error == "invalid_grant"
    assert client.get(metadata["userinfo_endpoint"], timeout=5).status_code == 401, "the replay revoked the chain"


def test_a_public_relying_party_with_pkce_and_revocation(live_portal: LivePortal) -> None:
    person = add_person(live_portal.app)
    rp = add_client(live_portal.app, redirect_uris=[RP_CALLBACK], auth_method="none")
    metadata = live_portal.discover()
    client = relying_party(rp, "openid profile")
    code_verifier = generate_token(64)
    nonce = generate_token(20)
    authorization_url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    callback = consent(live_portal, browser_for(live_portal, person), authorization_url)
    token = client.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier)
    verify_id_token(live_portal, metadata, token["id_token"], rp.client_id, nonce)

    revoked = client.revoke_token(
        metadata["revocation_endpoint"], token=token["access_token"], token_type_hint="access_token"
    )
    assert revoked.status_code == 200
    answer = client.get(metadata["userinfo_endpoint"], timeout=5)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer ")


def test_the_live_provider_refuses_a_wrong_verifier_and_a_reused_code(live_portal: LivePortal) -> None:
    person = add_person(live_portal.app)
    rp = add_client(live_portal.app, redirect_uris=[RP_CALLBACK])
    metadata = live_portal.discover()
    client = relying_party(rp, "openid")
    code_verifier = generate_token(64)
    authorization_url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=generate_token(20)
    )
    callback = consent(live_portal, browser_for(live_portal, person), authorization_url)
    with pytest.raises(OAuthError) as wrong:
        client.fetch_token(
            metadata["token_endpoint"], authorization_response=callback, code_verifier=generate_token(64)
        )
    assert wrong.value.error == "invalid_grant"
    first = client.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier)
    with pytest.raises(OAuthError) as reused:
        client.fetch_token(metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier)
    assert reused.value.error == "invalid_grant"
    headers = {"Authorization": f"Bearer {first['access_token']}"}
    assert requests.get(metadata["userinfo_endpoint"], headers=headers, timeout=5).status_code == 401


def test_racing_redemptions_of_one_code_or_refresh_token_have_one_winner(live_portal: LivePortal) -> None:
    person = add_person(live_portal.app)
    rp = add_client(live_portal.app, redirect_uris=[RP_CALLBACK])
    metadata = live_portal.discover()
    browser = browser_for(live_portal, person)
    for _round in range(3):
        client = relying_party(rp, "openid")
        verifier = generate_token(64)
        url, _state = client.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(20)
        )
        code = parse_qs(urlsplit(consent(live_portal, browser, url)).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": RP_CALLBACK,
            "code_verifier": verifier,
        }
        answers = _post_together(metadata["token_endpoint"], form, (rp.client_id, rp.secret or ""))
        assert sorted(answer.status_code for answer in answers) == [200, 400, 400, 400]
        assert {answer.json()["error"] for answer in answers if answer.status_code == 400} == {"invalid_grant"}

    winner = next(answer.json() for answer in answers if answer.status_code == 200)
    bearer = {"Authorization": f"Bearer {winner['access_token']}"}
    assert requests.get(metadata["userinfo_endpoint"], headers=bearer, timeout=5).status_code == 401, (
        "a code redeemed twice revokes what it issued"
    )

    fresh = relying_party(rp, "openid")
    verifier = generate_token(64)
    url, _state = fresh.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(20)
    )
    tokens = fresh.fetch_token(
        metadata["token_endpoint"], authorization_response=consent(live_portal, browser, url), code_verifier=verifier
    )
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    answers = _post_together(metadata["token_endpoint"], form, (rp.client_id, rp.secret or ""))
    assert sorted(answer.status_code for answer in answers) == [200, 400, 400, 400]


def _post_together(url: str, form: dict[str, str], auth: tuple[str, str]) -> list[requests.Response]:
    start = threading.Barrier(4)

    def post(_index: int) -> requests.Response:
        start.wait(timeout=5)
        return requests.post(url, data=form, auth=auth, timeout=15)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(post, range(4)))
