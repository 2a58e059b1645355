"""The Redis store against the real Redis on 127.0.0.1:6379 (skipped, saying why, when none answers)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sessions_kit import REDIS_URL, interface_of, record_of, token_of
from sqlalchemy import text

from gateway.sessions import RedisSessionStore, SessionRecord
from gateway.sessions.store import hash_token, utcnow


@pytest.fixture
def person_id() -> int:
    """A person id no other test run uses, so the real ``bawaba:person-sessions:<id>`` key is ours alone."""
    return 10**12 + secrets.randbelow(10**12)


def test_the_redis_url_puts_sessions_in_redis_under_the_portal_s_keys(
    session_app: Callable[..., Flask], redis_client: Any, person_id: int
) -> None:
    app = session_app(REDIS_URL=REDIS_URL)
    store = interface_of(app).store
    assert isinstance(store, RedisSessionStore)
    client = app.test_client()
    person_key = f"bawaba:person-sessions:{person_id}"
    ours = [person_key]
    try:
        client.post(f"/probe/sign-in/{person_id}")
        token_hash = hash_token(token_of(client))
        session_key = f"bawaba:session:{token_hash}"
        ours.append(session_key)

        assert 0 < redis_client.ttl(session_key) <= 15 * 60
        assert redis_client.smembers(person_key) == {token_hash.encode()}
        assert 11 * 3600 < redis_client.ttl(person_key) <= 12 * 3600
        assert token_of(client).encode() not in redis_client.get(session_key)
        assert client.get("/probe/get").get_json() == {"person": person_id}
        with app.extensions["gateway"].database.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM server_sessions")).scalar_one() == 0

        client.post("/probe/sign-out")
        assert redis_client.exists(session_key) == 0
        assert redis_client.smembers(person_key) == set()
    finally:
        redis_client.delete(*ours)


def test_using_a_session_renews_its_time_to_live(
    session_app: Callable[..., Flask], redis_client: Any, redis_prefix: str
) -> None:
    store = RedisSessionStore(redis_client, key_prefix=redis_prefix)
    app = session_app(store)
    client = app.test_client()
    client.post("/probe/sign-in/5")
    record = record_of(app, client)
    assert record is not None
    key = store.session_key(record.token_hash)

    record.last_seen_at = utcnow() - timedelta(minutes=2)
    store.save(record)
    redis_client.expire(key, 100)
    client.get("/probe/get")
    assert redis_client.ttl(key) > 14 * 60


def test_the_time_to_live_never_passes_the_absolute_end(redis_client: Any, redis_prefix: str) -> None:
    store = RedisSessionStore(redis_client, key_prefix=redis_prefix)
    now = utcnow()
    store.save(SessionRecord("h" * 64, created_at=now, last_seen_at=now, expires_at=now + timedelta(seconds=30)))
    assert 0 < redis_client.ttl(store.session_key("h" * 64)) <= 30


def test_ending_a_person_s_sessions_skips_stale_and_rebound_entries(redis_client: Any, redis_prefix: str) -> None:
    store = RedisSessionStore(redis_client, key_prefix=redis_prefix)
    now = utcnow()

    def save(token_hash: str, person_id: int) -> SessionRecord:
        record = SessionRecord(
            token_hash, created_at=now, last_seen_at=now, expires_at=now + timedelta(hours=1), person_id=person_id
        )
        store.save(record)
        return record

    save("a" * 64, 1)
    save("b" * 64, 1)
    rebound = save("c" * 64, 1)
    rebound.person_id = 2
    store.save(rebound)  # the set of person 1 still lists it
    redis_client.sadd(store.person_key(1), "d" * 64)  # listed, but long expired

    assert store.delete_for_person(1, except_hash="b" * 64) == 1
    assert store.load("a" * 64) is None
    assert store.load("b" * 64) is not None
    assert store.load("c" * 64) is not None
    assert redis_client.smembers(store.person_key(1)) == {b"b" * 64}


def test_an_unreadable_entry_counts_as_no_session(redis_client: Any, redis_prefix: str) -> None:
    store = RedisSessionStore(redis_client, key_prefix=redis_prefix)
    redis_client.set(store.session_key("e" * 64), "{not json")
    assert store.load("e" * 64) is None
    assert store.purge_expired(utcnow()) == 0
