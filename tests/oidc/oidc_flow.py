"""Helpers that drive the provider like a browser and a relying party would (Flask's test client).

Kept out of ``conftest.py`` so test modules import them under one unique
name (``tests.oidc.oidc_flow``), whatever other folders call their conftests.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.identity.models import Person
from gateway.oidc.clients import register_client

REDIRECT_URI = "https://rp.example/callback"


def add_person(app: Flask, id_number: str = "1012345672", **fields: Any) -> Person:
    values: dict[str, Any] = {
        "id_number": id_number,
        "id_type": "citizen",
        "first_name_ar": "سارة",
        "family_name_ar": "العتيبي",
        "first_name_en": "Sara",
        "family_name_en": "Alotaibi",
        "birth_date": date(1990, 5, 17),
        "nationality": "SA",
        "mobile": "+966501234567",
        "email": "sara@example.com",
    }
    values.update(fields)
    with app.app_context():
        session = app.extensions["gateway"].db_session()
        person = Person(**values)
        session.add(person)
        session.commit()
        session.refresh(person)
        session.expunge(person)
    return person


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    secret: str | None
    redirect_uri: str
    auth_method: str = "client_secret_basic"


def add_client(
    app: Flask,
    *,
    redirect_uris: list[str] | None = None,
    scopes: list[str] | None = None,
    auth_method: str = "client_secret_basic",
    name: str = "Relying Party",
    **registration: Any,
) -> RegisteredClient:
    """Register a client; ``registration`` passes the other options (``subject_type``, logout URIs...)."""
    uris = redirect_uris or [REDIRECT_URI]
    with app.app_context():
        session = app.extensions["gateway"].db_session()
        client, secret = register_client(
            session,
            name=name,
            redirect_uris=uris,
            scopes=scopes or ["openid", "profile", "email", "phone"],
            auth_method=auth_method,
            **registration,
        )
        session.commit()
        return RegisteredClient(client.client_id, secret, uris[0], auth_method)


def sign_in(browser: FlaskClient, person: Person, amr: list[str] | None = None, auth_time: int = 1_700_000_000) -> None:
    with browser.session_transaction() as flask_session:
        flask_session["person_id"] = person.id
        flask_session["auth_time"] = auth_time
        flask_session["amr"] = amr if amr is not None else ["pwd", "otp"]


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str


def new_pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


# -- driving the flow with Flask's test client --------------------------------------------


def authorization_params(
    rp: RegisteredClient, pkce: Pkce | None, *, nonce: str | None = None, scope: str = "openid profile", **extra: str
) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": rp.client_id,
        "redirect_uri": rp.redirect_uri,
        "scope": scope,
        "state": "state-" + secrets.token_hex(4),
        "nonce": nonce or secrets.token_urlsafe(12),
    }
    if pkce is not None:
        params.update(code_challenge=pkce.challenge, code_challenge_method="S256")
    params.update(extra)
    return {key: value for key, value in params.items() if value is not None}


def redirect_params(response: Any) -> dict[str, str]:
    """The query of a redirect back to the client, one value per name."""
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert location.startswith(("https://", "http://127.0.0.1")), location  # the app's, never the portal's
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def post_authorization(browser: FlaskClient, query: dict[str, str], **kwargs: Any) -> Any:
    """Send the authorization request form-encoded by POST, as an app's auto-submitted form does.

    The portal answers a POST with a 303 to the same request by GET (the Lax
    session cookie is not sent with a cross-site POST); the browser follows it.
    """
    posted = browser.post("/oidc/authorize", data=query, **kwargs)
    assert posted.status_code == 303, posted.get_data(as_text=True)[:300]
    location = urlsplit(posted.headers["Location"])
    assert location.path == "/oidc/authorize" and not location.netloc
    return browser.get(f"{location.path}?{location.query}", **kwargs)


def obtain_code(browser: FlaskClient, rp: RegisteredClient, pkce: Pkce, **params: str) -> str:
    """Go through the authorization endpoint (allowing on the consent page if it shows) and return the code."""
    query = authorization_params(rp, pkce, **params)
    response = browser.get("/oidc/authorize", query_string=query)
    if response.status_code == 200:
        response = browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"})
    returned = redirect_params(response)
    assert returned["state"] == query["state"]
    return returned["code"]


def client_auth(rp: RegisteredClient) -> dict[str, str]:
    """The Authorization header of a ``client_secret_basic`` client (empty for the others)."""
    if rp.secret is None or rp.auth_method != "client_secret_basic":
        return {}
    pair = base64.b64encode(f"{rp.client_id}:{rp.secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {pair}"}


def client_form(rp: RegisteredClient) -> dict[str, str]:
    """The form fields that identify a public or ``client_secret_post`` client."""
    if rp.secret is None:
        return {"client_id": rp.client_id}
    if rp.auth_method == "client_secret_post":
        return {"client_id": rp.client_id, "client_secret": rp.secret}
    return {}


def redeem(browser: FlaskClient, rp: RegisteredClient, code: str, verifier: str | None, **extra: str) -> Any:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": rp.redirect_uri}
    if verifier is not None:
        form["code_verifier"] = verifier
    form.update(client_form(rp))
    form.update(extra)
    return browser.post("/oidc/token", data=form, headers=client_auth(rp))


def refresh(browser: FlaskClient, rp: RegisteredClient, refresh_token: str, **extra: str) -> Any:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, **client_form(rp), **extra}
    return browser.post("/oidc/token", data=form, headers=client_auth(rp))


def userinfo(browser: FlaskClient, access_token: str) -> Any:
    return browser.get("/oidc/userinfo", headers={"Authorization": f"Bearer {access_token}"})


def tokens_for(browser: FlaskClient, rp: RegisteredClient, **params: str) -> dict[str, Any]:
    pkce = new_pkce()
    code = obtain_code(browser, rp, pkce, **params)
    response = redeem(browser, rp, code, pkce.verifier)
    assert response.status_code == 200, response.get_json()
    tokens: dict[str, Any] = response.get_json()
    return tokens


def decode_id_token(browser: FlaskClient, id_token: str) -> dict[str, Any]:
    """Verify the ID token's signature against the provider's published JWKS and return its claims."""
    keys = KeySet.import_key_set(browser.get("/oidc/jwks").get_json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    return dict(token.claims)


def run_sql(app: Flask, statement: Any) -> None:
    with app.app_context():
        session = app.extensions["gateway"].db_session()
        session.execute(statement)
        session.commit()


def fetch_all(app: Flask, statement: Any) -> list[Any]:
    with app.app_context():
        session = app.extensions["gateway"].db_session()
        rows = list(session.scalars(statement))
        for row in rows:
            if hasattr(row, "_sa_instance_state"):
                session.expunge(row)
        return rows
