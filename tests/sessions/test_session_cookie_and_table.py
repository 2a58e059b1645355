"""The session cookie's flags, the ``server_sessions`` table and its migration."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from email.utils import parsedate_to_datetime

from flask import Flask, session
from sessions_kit import COOKIE, interface_of, migrated, probe, set_cookie_headers, token_of
from sqlalchemy import MetaData, inspect, text

from gateway import migrate
from gateway.sessions import DatabaseSessionStore, RedisSessionStore, SessionRecord, init_sessions
from gateway.sessions.cli import group as sessions_cli
from gateway.sessions.models import ServerSession
from gateway.sessions.store import utcnow


def test_the_cookie_is_httponly_lax_and_not_secure_in_testing(session_app: Callable[..., Flask]) -> None:
    app = session_app()
    [cookie] = set_cookie_headers(app.test_client().post("/probe/set", data={"a": "1"}))
    flags = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in flags
    assert "SameSite=Lax" in flags
    assert "Path=/" in flags
    assert "Secure" not in flags
    assert not any(flag.startswith(("Expires", "Max-Age")) for flag in flags), "a browser-session cookie"


def test_the_cookie_is_secure_in_production(make_app: Callable[..., Flask]) -> None:
    app = migrated(
        make_app(
            ENV="production",
            SECRET_KEY="a-production-secret-of-more-than-32-chars",
            PLUGINS="",
            STAGING=True,
            RATE_LIMITS_IN_PROCESS=True,
        )
    )
    init_sessions(app)
    app.register_blueprint(probe)
    [cookie] = set_cookie_headers(app.test_client().post("/probe/set", data={"a": "1"}))
    flags = [part.strip() for part in cookie.split(";")]
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(flags)


def test_a_permanent_session_cookie_never_outlives_the_absolute_lifetime(session_app: Callable[..., Flask]) -> None:
    app = session_app()

    @app.post("/remember-me")
    def remember_me() -> str:
        session.permanent = True
        session["person"] = 7
        return "ok"

    before = utcnow()
    [cookie] = set_cookie_headers(app.test_client().post("/remember-me"))
    expires = next(part.split("=", 1)[1] for part in cookie.split("; ") if part.startswith("Expires="))
    when = parsedate_to_datetime(expires)
    assert before + timedelta(hours=11, minutes=59) <= when <= utcnow() + timedelta(hours=12)


def test_the_table_holds_the_hash_of_the_token_never_the_token(session_app: Callable[..., Flask]) -> None:
    app = session_app()
    client = app.test_client()
    client.post("/probe/set", data={"note": "server-side only"})
    token = token_of(client)

    engine = app.extensions["gateway"].database.engine
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, person_id, data FROM server_sessions")).all()
    assert len(rows) == 1
    row_id, person_id, data = rows[0]
    assert row_id == hashlib.sha256(token.encode()).hexdigest()
    assert person_id is None
    assert "server-side only" in data
    assert token not in f"{row_id}{data}"


def test_the_database_is_the_default_store_and_redis_is_chosen_by_its_url(make_app: Callable[..., Flask]) -> None:
    default = make_app(PLUGINS="")
    assert isinstance(init_sessions(default).store, DatabaseSessionStore)
    assert default.extensions["gateway.sessions"] is default.session_interface
    assert init_sessions(default) is default.session_interface, "setting up twice keeps one interface"

    with_redis = make_app(PLUGINS="", REDIS_URL="redis://127.0.0.1:6379/15")
    store = init_sessions(with_redis).store
    assert isinstance(store, RedisSessionStore)
    assert store.session_key("abc") == "bawaba:session:abc"
    assert store.person_key(7) == "bawaba:person-sessions:7"


def test_a_view_that_read_the_database_can_still_change_the_session(session_app: Callable[..., Flask]) -> None:
    """On SQLite the view's open read transaction must not make the session write wait and fail."""
    app = session_app()
    client = app.test_client()
    client.post("/probe/set", data={"a": "1"})
    started = time.monotonic()
    response = client.get("/probe/read-database-then-set")
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    assert client.get("/probe/get").get_json() == {"a": "1", "after_read": "yes"}


def test_purge_removes_idle_and_finished_sessions(session_app: Callable[..., Flask]) -> None:
    app = session_app()
    store = interface_of(app).store
    now = utcnow()

    def record(name: str, last_seen_ago: timedelta, expires_in: timedelta) -> None:
        store.save(
            SessionRecord(
                token_hash=name * 64,
                created_at=now - timedelta(hours=1),
                last_seen_at=now - last_seen_ago,
                expires_at=now + expires_in,
            )
        )

    record("a", timedelta(minutes=1), timedelta(hours=1))
    record("b", timedelta(minutes=16), timedelta(hours=1))
    record("c", timedelta(minutes=1), -timedelta(seconds=1))
    result = app.test_cli_runner().invoke(sessions_cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 expired sessions removed"
    assert store.load("a" * 64) is not None
    assert store.load("b" * 64) is None
    assert store.load("c" * 64) is None


def test_an_operator_can_sign_a_person_out_everywhere(session_app: Callable[..., Flask]) -> None:
    app = session_app()
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        client.post("/probe/sign-in/41")
    other = app.test_client()
    other.post("/probe/sign-in/42")

    result = app.test_cli_runner().invoke(sessions_cli, ["end", "41"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 sessions of person 41 ended"
    assert all(client.get("/probe/get").get_json() == {} for client in clients)
    assert other.get("/probe/get").get_json() == {"person": 42}
    assert app.test_cli_runner().invoke(sessions_cli, ["end", "0"]).exit_code == 2


def test_the_migration_creates_exactly_the_model_s_table(make_app: Callable[..., Flask]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = migrated(make_app(PLUGINS=""))
    engine = app.extensions["gateway"].database.engine
    only_sessions = MetaData(naming_convention=ServerSession.metadata.naming_convention)
    ServerSession.__table__.to_metadata(only_sessions)

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "server_sessions"

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": ours, "compare_server_default": True}
        )
        assert compare_metadata(context, only_sessions) == []
        indexes = {index["name"]: index["column_names"] for index in inspect(connection).get_indexes("server_sessions")}
    assert indexes == {"ix_server_sessions_person_id": ["person_id"]}


def test_the_migration_goes_down_and_up_again(make_app: Callable[..., Flask]) -> None:
    app = migrated(make_app(PLUGINS=""))
    host = app.extensions["gateway"]
    engine = host.database.engine
    migrate.downgrade(engine, host.component("gateway"), "0004_one_time_codes")
    assert "server_sessions" not in inspect(engine).get_table_names()
    migrate.upgrade(engine, host.migration_components())
    assert "server_sessions" in inspect(engine).get_table_names()


def test_the_cookie_name_comes_from_the_configuration(session_app: Callable[..., Flask]) -> None:
    app = session_app()
    app.config["SESSION_COOKIE_NAME"] = "portal_sid"
    response = app.test_client().post("/probe/set", data={"a": "1"})
    assert any(value.startswith("portal_sid=") for value in response.headers.getlist("Set-Cookie"))
    assert not set_cookie_headers(response), f"no {COOKIE} cookie"
