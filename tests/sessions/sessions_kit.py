"""The probe blueprint and helpers of the session tests.

The probe uses the session helpers exactly as the sign-in code will:
rotate and bind at sign-in, end at sign-out, end the others after a password
change.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask import Blueprint, Flask, jsonify, request, session
from flask.testing import FlaskClient

from gateway import migrate
from gateway.sessions import (
    GatewaySessionInterface,
    SessionRecord,
    bind_person,
    current_session,
    end_all_sessions,
    end_other_sessions,
    end_session,
    rotate_session,
)
from gateway.sessions.store import hash_token

REDIS_URL = os.environ.get("GATEWAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
COOKIE = "bawaba_session"

probe = Blueprint("session_probe", __name__)


@probe.post("/probe/set")
def probe_set() -> Any:
    for key, value in request.form.items():
        session[key] = value
    return "ok"


@probe.get("/probe/get")
def probe_get() -> Any:
    return jsonify(dict(session))


@probe.post("/probe/sign-in/<int:person_id>")
def probe_sign_in(person_id: int) -> Any:
    rotate_session()
    bind_person(person_id)
    session["person"] = person_id
    return "signed in"


@probe.post("/probe/sign-out")
def probe_sign_out() -> Any:
    end_session()
    if request.form.get("flash"):
        session["flash"] = request.form["flash"]
    return "signed out"


@probe.post("/probe/password-changed")
def probe_password_changed() -> Any:
    end_other_sessions(session["person"])
    return "others ended"


@probe.post("/probe/sign-out-everywhere")
def probe_sign_out_everywhere() -> Any:
    end_all_sessions(session["person"])
    return "all ended"


@probe.post("/probe/clear")
def probe_clear() -> Any:
    session.clear()
    return "cleared"


@probe.get("/probe/read-database-then-set")
def probe_read_database_then_set() -> Any:
    """Leave a read transaction open on the request's database session, then change the session."""
    from sqlalchemy import text

    from bawaba_sdk import current_host

    current_host().db_session().execute(text("SELECT count(*) FROM server_sessions")).scalar_one()
    session["after_read"] = "yes"
    return "ok"


@probe.get("/probe/whoami")
def probe_whoami() -> Any:
    own = current_session()
    return jsonify(person_id=own.person_id, new=own.new)


def redis_or_skip() -> Any:
    """A client of the real Redis, or skip the test with the reason."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); set GATEWAY_TEST_REDIS_URL to test against one")
    return client


def delete_keys(client: Any, pattern: str) -> None:
    for key in client.scan_iter(match=pattern, count=500):
        client.delete(key)


def migrated(app: Flask) -> Flask:
    host = app.extensions["gateway"]
    migrate.upgrade(host.database.engine, host.migration_components())
    return app


def interface_of(app: Flask) -> GatewaySessionInterface:
    interface = app.extensions["gateway.sessions"]
    assert isinstance(interface, GatewaySessionInterface)
    return interface


def token_of(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "the client holds no session cookie"
    return cookie.value


def record_of(app: Flask, client: FlaskClient) -> SessionRecord | None:
    return interface_of(app).store.load(hash_token(token_of(client)))


def client_with_cookie(app: Flask, token: str) -> FlaskClient:
    """Another browser that presents ``token`` (a replayed or forged cookie)."""
    other = app.test_client()
    other.set_cookie(COOKIE, token)
    return other


def set_cookie_headers(response: Any) -> list[str]:
    return [value for value in response.headers.getlist("Set-Cookie") if value.startswith(COOKIE + "=")]
