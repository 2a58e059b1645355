"""What a person's session does from first visit to sign-out, on the database and on Redis alike."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Flask
from sessions_kit import (
    client_with_cookie,
    interface_of,
    record_of,
    set_cookie_headers,
    token_of,
)

from gateway.sessions import GatewaySessionInterface
from gateway.sessions.store import hash_token, utcnow


def sign_in(app: Flask, person_id: int, **values: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if values:
        assert client.post("/probe/set", data=values).status_code == 200
    assert client.post(f"/probe/sign-in/{person_id}").status_code == 200
    return client


def test_values_stay_on_the_server_and_the_cookie_is_an_opaque_token(any_store_app: Flask) -> None:
    client = any_store_app.test_client()
    response = client.post("/probe/set", data={"colour": "saffron-and-cardamom"})
    [cookie] = set_cookie_headers(response)
    token = token_of(client)
    assert "saffron" not in cookie
    assert len(token) >= 43

    assert client.get("/probe/get").get_json() == {"colour": "saffron-and-cardamom"}
    record = record_of(any_store_app, client)
    assert record is not None
    assert record.data == {"colour": "saffron-and-cardamom"}
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest() != token


def test_a_visitor_who_stores_nothing_gets_no_cookie(any_store_app: Flask) -> None:
    response = any_store_app.test_client().get("/probe/get")
    assert response.get_json() == {}
    assert set_cookie_headers(response) == []


def test_sign_in_gives_a_new_identifier_and_the_old_one_stops_working(any_store_app: Flask) -> None:
    client = any_store_app.test_client()
    client.post("/probe/set", data={"draft": "kept"})
    before = token_of(client)

    client.post("/probe/sign-in/7")
    after = token_of(client)
    assert after != before
    assert client.get("/probe/get").get_json() == {"draft": "kept", "person": 7}
    assert client.get("/probe/whoami").get_json() == {"person_id": 7, "new": False}
    record = record_of(any_store_app, client)
    assert record is not None and record.person_id == 7

    replay = client_with_cookie(any_store_app, before)
    assert replay.get("/probe/get").get_json() == {}
    assert interface_of(any_store_app).store.load(hash_token(before)) is None


def test_sign_out_ends_the_session_on_the_server(any_store_app: Flask) -> None:
    client = sign_in(any_store_app, 7)
    token = token_of(client)

    response = client.post("/probe/sign-out")
    [cleared] = set_cookie_headers(response)
    assert "Expires=Thu, 01 Jan 1970" in cleared
    assert client.get_cookie("bawaba_session") is None
    assert interface_of(any_store_app).store.load(hash_token(token)) is None

    replay = client_with_cookie(any_store_app, token)
    assert replay.get("/probe/get").get_json() == {}


def test_a_value_set_after_sign_out_goes_into_a_new_session(any_store_app: Flask) -> None:
    client = sign_in(any_store_app, 7)
    old = token_of(client)
    client.post("/probe/sign-out", data={"flash": "You have signed out"})
    assert token_of(client) != old
    assert client.get("/probe/get").get_json() == {"flash": "You have signed out"}
    assert client.get("/probe/whoami").get_json() == {"person_id": None, "new": False}


def test_an_idle_session_ends(any_store_app: Flask) -> None:
    client = sign_in(any_store_app, 7)
    store = interface_of(any_store_app).store
    record = record_of(any_store_app, client)
    assert record is not None

    record.last_seen_at = utcnow() - timedelta(minutes=14)
    store.save(record)
    assert client.get("/probe/get").get_json() == {"person": 7}, "14 minutes idle is still within the limit"

    record = record_of(any_store_app, client)
    assert record is not None
    assert utcnow() - record.last_seen_at < timedelta(seconds=30), "use refreshed the idle clock"
    record.last_seen_at = utcnow() - timedelta(minutes=15, seconds=1)
    store.save(record)
    assert client.get("/probe/get").get_json() == {}
    assert store.load(record.token_hash) is None


def test_a_session_ends_at_its_absolute_lifetime_however_busy(any_store_app: Flask) -> None:
    client = sign_in(any_store_app, 7)
    store = interface_of(any_store_app).store
    record = record_of(any_store_app, client)
    assert record is not None
    assert record.expires_at - record.created_at == timedelta(hours=12)

    record.expires_at = utcnow() - timedelta(seconds=1)
    store.save(record)
    assert client.get("/probe/get").get_json() == {}


def test_the_idle_and_absolute_limits_come_from_the_configuration(session_app) -> None:  # type: ignore[no-untyped-def]
    app = session_app(SESSION_IDLE_MINUTES=5, SESSION_ABSOLUTE_HOURS=2)
    interface = interface_of(app)
    assert interface.idle_timeout == timedelta(minutes=5)
    assert interface.absolute_lifetime == timedelta(hours=2)
    assert interface.refresh_after == timedelta(seconds=60)
    short = GatewaySessionInterface(interface.store, idle_timeout=timedelta(minutes=1), absolute_lifetime=timedelta(1))
    assert short.refresh_after == timedelta(seconds=15), "an active visitor is refreshed well before the idle end"

    client = sign_in(app, 7)
    record = record_of(app, client)
    assert record is not None
    record.last_seen_at = utcnow() - timedelta(minutes=5, seconds=1)
    interface.store.save(record)
    assert client.get("/probe/get").get_json() == {}


def test_a_password_change_ends_the_other_sessions_of_that_person_only(any_store_app: Flask) -> None:
    laptop = sign_in(any_store_app, 7)
    phone = sign_in(any_store_app, 7)
    someone_else = sign_in(any_store_app, 8)

    assert laptop.post("/probe/password-changed").status_code == 200
    assert laptop.get("/probe/get").get_json() == {"person": 7}
    assert phone.get("/probe/get").get_json() == {}
    assert someone_else.get("/probe/get").get_json() == {"person": 8}


def test_sign_out_everywhere_ends_this_session_too(any_store_app: Flask) -> None:
    laptop = sign_in(any_store_app, 7)
    phone = sign_in(any_store_app, 7)
    laptop_token = token_of(laptop)

    laptop.post("/probe/sign-out-everywhere")
    assert client_with_cookie(any_store_app, laptop_token).get("/probe/get").get_json() == {}
    assert phone.get("/probe/get").get_json() == {}


def test_an_unknown_cookie_is_never_adopted(any_store_app: Flask) -> None:
    forged = "A" * 43
    attacker_chosen = client_with_cookie(any_store_app, forged)
    assert attacker_chosen.get("/probe/get").get_json() == {}

    attacker_chosen.post("/probe/set", data={"planted": "no"})
    issued = token_of(attacker_chosen)
    assert issued != forged
    store = interface_of(any_store_app).store
    assert store.load(hash_token(forged)) is None
    stored = store.load(hash_token(issued))
    assert stored is not None and stored.data == {"planted": "no"}


def test_a_malformed_or_expired_cookie_is_cleared(any_store_app: Flask) -> None:
    for bad in ("not a token at all", "x" * 500, "A" * 43):
        response = client_with_cookie(any_store_app, bad).get("/probe/get")
        assert response.status_code == 200
        assert response.get_json() == {}
        [cleared] = set_cookie_headers(response)
        assert "Expires=Thu, 01 Jan 1970" in cleared


def test_an_unchanged_session_is_written_at_most_once_a_minute(any_store_app: Flask) -> None:
    client = sign_in(any_store_app, 7)
    store = interface_of(any_store_app).store
    first = record_of(any_store_app, client)
    assert first is not None

    client.get("/probe/get")
    again = record_of(any_store_app, client)
    assert again is not None and again.last_seen_at == first.last_seen_at

    first.last_seen_at = utcnow() - timedelta(seconds=61)
    store.save(first)
    client.get("/probe/get")
    refreshed = record_of(any_store_app, client)
    assert refreshed is not None and utcnow() - refreshed.last_seen_at < timedelta(seconds=30)


def test_emptying_the_session_deletes_its_record_and_cookie(any_store_app: Flask) -> None:
    client = any_store_app.test_client()
    client.post("/probe/set", data={"a": "1"})
    token = token_of(client)
    response = client.post("/probe/clear")
    assert "Expires=Thu, 01 Jan 1970" in set_cookie_headers(response)[0]
    assert interface_of(any_store_app).store.load(hash_token(token)) is None


def test_a_slow_request_cannot_bring_back_a_signed_out_session(any_store_app: Flask) -> None:
    client = sign_in(any_store_app, 7)
    store = interface_of(any_store_app).store
    loaded_by_slow_request = record_of(any_store_app, client)
    assert loaded_by_slow_request is not None

    client.post("/probe/sign-out")
    loaded_by_slow_request.data["late"] = "write"
    store.save(loaded_by_slow_request)
    assert store.load(loaded_by_slow_request.token_hash) is None


def test_values_keep_their_types(any_store_app: Flask) -> None:
    with any_store_app.test_request_context():
        from flask import session

        from gateway.sessions.interface import GatewaySession

        assert isinstance(session._get_current_object(), GatewaySession)  # type: ignore[attr-defined]
    client = any_store_app.test_client()
    with client.session_transaction() as session:
        session["pair"] = (1, "two")
        session["raw"] = b"\x00\xff"
        session["when"] = utcnow().replace(microsecond=0)
    with client.session_transaction() as session:
        assert session["pair"] == (1, "two")
        assert session["raw"] == b"\x00\xff"
        assert session["when"].tzinfo is not None
