"""The whole journey of issue 3, in a live portal with CSRF on and no test-only shortcut.

A sandbox citizen registers with the code from the outbox, signs out, signs
in with password and code, opens all three programs without signing in again,
and an outside app then signs the same person in through OpenID Connect.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from urllib.parse import urljoin

import pytest
import requests
from authlib.common.security import generate_token
from flask import Flask
from werkzeug.serving import make_server

from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, latest_code
from tests.oidc.oidc_flow import add_client
from tests.oidc.test_oidc_relying_party import LivePortal, consent, relying_party, verify_id_token

RP_CALLBACK = "https://rp.example/callback"


@pytest.fixture
def live(make_oidc_app: Callable[..., Flask]) -> Iterator[LivePortal]:
    app = make_oidc_app(PLUGINS="musaned,social_security,gosi", WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LivePortal(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def submit(browser: requests.Session, live: LivePortal, path: str, data: dict[str, str]) -> requests.Response:
    """Post a form the way a browser does: with the CSRF token of the page it came from."""
    page = browser.get(urljoin(live.base_url, path), timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, f"no CSRF token on {path}"
    return browser.post(
        urljoin(live.base_url, path),
        data={**data, "csrf_token": token.group(1)},
        timeout=10,
        headers={"Accept-Language": "en"},
    )


def test_register_sign_in_use_every_program_and_sign_in_to_an_outside_app(live: LivePortal) -> None:
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    assert submit(browser, live, "/account/register", AHMED).url.endswith("/account/register/code")
    assert submit(browser, live, "/account/register/code", {"code": latest_code(live.app, AHMED_MOBILE)}).url.endswith(
        "/account/register/details"
    )
    created = submit(
        browser,
        live,
        "/account/register/details",
        {
            "username": "ahmed84",
            "password": GOOD_PASSWORD,
            "password_confirmation": GOOD_PASSWORD,
            "email": "ahmed@example.com",
            "mobile": "0501234567",
        },
    )
    assert "Your account is ready" in created.text
    page = browser.get(f"{live.base_url}/", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    browser.post(f"{live.base_url}/account/sign-out", data={"csrf_token": token.group(1)}, timeout=5)
    assert "Ahmed Al-Zahrani" not in browser.get(f"{live.base_url}/", timeout=5).text

    submit(browser, live, "/account/sign-in", {"identifier": "1000000008", "password": GOOD_PASSWORD})
    signed_in = submit(browser, live, "/account/sign-in/code", {"code": latest_code(live.app, AHMED_MOBILE)})
    assert signed_in.url.endswith("/account/")
    for program in ("musaned", "social_security", "gosi"):
        program_page = browser.get(f"{live.base_url}/{program}/", timeout=5)
        assert program_page.status_code == 200
        assert "Ahmed Al-Zahrani" in program_page.text, program

    rp = add_client(live.app, redirect_uris=[RP_CALLBACK], scopes=["openid", "profile", "national_id"])
    metadata = live.discover()
    client = relying_party(rp, "openid profile national_id")
    code_verifier, nonce = generate_token(64), generate_token(20)
    authorization_url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    callback = consent(live, browser, authorization_url)
    tokens = client.fetch_token(
        metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier
    )
    claims = verify_id_token(live, metadata, tokens["id_token"], rp.client_id, nonce)
    assert claims["amr"] == ["pwd", "otp"]
    assert claims["acr"] == "urn:bawaba:loa:2"
    assert claims["sub"] != "1000000008"
    info = client.get(metadata["userinfo_endpoint"], timeout=5).json()
    assert (info["given_name"], info["family_name"], info["national_id"]) == ("Ahmed", "Al-Zahrani", "1000000008")
