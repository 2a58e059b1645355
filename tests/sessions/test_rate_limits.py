"""Rate limits: per address, per app, 429 with Retry-After on the portal's own error page."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from flask import Blueprint, Flask
from limits.storage import MemoryStorage, RedisStorage
from sessions_kit import COOKIE, REDIS_URL, delete_keys, migrated

from gateway.ratelimit import LIMITER_EXTENSION, init_rate_limits, limit
from gateway.sessions.store import hash_token

limited = Blueprint("limit_probe", __name__)


@limited.post("/limited/sign-in")
@limit("GATEWAY_RATE_LIMIT_SIGNIN")
def limited_sign_in() -> str:
    return "signed in"


@limited.post("/api/limited/codes")
@limit("GATEWAY_RATE_LIMIT_CODES")
def limited_codes() -> str:
    return "code checked"


@limited.route("/limited/form", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_REGISTRATION", methods=["post"])
def limited_form() -> str:
    return "form"


@limited.get("/limited/free")
def free() -> str:
    return "free"


@pytest.fixture
def limited_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    def build(**config: Any) -> Flask:
        config.setdefault("PLUGINS", "")
        app = migrated(make_app(**config))  # the error page's language form puts a CSRF token in the session
        init_rate_limits(app)
        app.register_blueprint(limited)
        return app

    return build


def test_one_request_too_many_gets_429_with_retry_after_in_arabic(limited_app: Callable[..., Flask]) -> None:
    client = limited_app(RATE_LIMIT_SIGNIN="3/minute").test_client()
    for _ in range(3):
        assert client.post("/limited/sign-in").status_code == 200

    refused = client.post("/limited/sign-in", headers={"Accept-Language": "ar"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    page = refused.get_data(as_text=True)
    assert refused.mimetype == "text/html"
    assert "طلبات كثيرة جدًا" in page
    assert 'dir="rtl"' in page
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"


def test_the_refusal_is_in_english_for_an_english_visitor(limited_app: Callable[..., Flask]) -> None:
    client = limited_app(RATE_LIMIT_SIGNIN="1/minute").test_client()
    client.post("/limited/sign-in")
    refused = client.post("/limited/sign-in", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "Too many requests" in refused.get_data(as_text=True)


def test_api_clients_get_a_json_429(limited_app: Callable[..., Flask]) -> None:
    client = limited_app(RATE_LIMIT_CODES="1/minute").test_client()
    client.post("/api/limited/codes")
    refused = client.post("/api/limited/codes", headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert refused.get_json()["error"]["code"] == 429


def test_each_address_has_its_own_count_behind_a_proxy(limited_app: Callable[..., Flask]) -> None:
    client = limited_app(RATE_LIMIT_SIGNIN="2/minute", PROXY_COUNT=1).test_client()

    def from_address(address: str) -> int:
        return client.post("/limited/sign-in", headers={"X-Forwarded-For": address}).status_code

    assert [from_address("198.51.100.7") for _ in range(3)] == [200, 200, 429]
    assert from_address("198.51.100.8") == 200, "another citizen is not punished for the first one's attempts"


def test_views_without_a_limit_are_not_limited(limited_app: Callable[..., Flask]) -> None:
    client = limited_app(RATE_LIMIT_SIGNIN="1/minute").test_client()
    client.post("/limited/sign-in")
    responses = [client.get("/limited/free") for _ in range(20)]
    assert {response.status_code for response in responses} == {200}
    assert "X-RateLimit-Limit" not in responses[0].headers


def test_a_limit_can_count_only_submissions(limited_app: Callable[..., Flask]) -> None:
    client = limited_app(RATE_LIMIT_REGISTRATION="2/minute").test_client()
    assert {client.get("/limited/form").status_code for _ in range(5)} == {200}
    assert [client.post("/limited/form").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/limited/form").status_code == 200


def test_every_app_has_its_own_limiter_and_rates(limited_app: Callable[..., Flask]) -> None:
    strict = limited_app(RATE_LIMIT_SIGNIN="1/minute")
    relaxed = limited_app(RATE_LIMIT_SIGNIN="5/minute")
    assert strict.extensions[LIMITER_EXTENSION] is not relaxed.extensions[LIMITER_EXTENSION]
    assert isinstance(strict.extensions[LIMITER_EXTENSION].storage, MemoryStorage)

    strict_client, relaxed_client = strict.test_client(), relaxed.test_client()
    assert [strict_client.post("/limited/sign-in").status_code for _ in range(2)] == [200, 429]
    assert [relaxed_client.post("/limited/sign-in").status_code for _ in range(5)] == [200] * 5


def test_the_rate_is_read_when_the_request_comes(limited_app: Callable[..., Flask]) -> None:
    app = limited_app(RATE_LIMIT_SIGNIN="1/minute")
    client = app.test_client()
    assert client.post("/limited/sign-in").status_code == 200
    assert client.post("/limited/sign-in").status_code == 429
    app.config["GATEWAY_RATE_LIMIT_SIGNIN"] = "3/minute"
    assert client.post("/limited/sign-in").status_code == 200


def test_a_limited_view_needs_the_limiter() -> None:
    app = Flask("without_limiter")
    with app.test_request_context("/limited/sign-in", method="POST"), pytest.raises(RuntimeError, match="init_rate"):
        limited_sign_in()


def test_redis_shares_the_count_between_workers(limited_app: Callable[..., Flask], redis_client: Any) -> None:
    prefix = f"bawaba-test-limits-{secrets.token_hex(6)}"
    config = {
        "RATE_LIMIT_SIGNIN": "2/minute",
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
    }
    worker_one, worker_two = limited_app(**config), limited_app(**config)
    browser = worker_one.test_client()
    try:
        assert isinstance(worker_one.extensions[LIMITER_EXTENSION].storage, RedisStorage)
        assert browser.post("/limited/sign-in").status_code == 200
        assert worker_two.test_client().post("/limited/sign-in").status_code == 200
        refused = browser.post("/limited/sign-in")
        assert refused.status_code == 429
        assert "Retry-After" in refused.headers
        assert list(redis_client.scan_iter(match=f"{prefix}:*"))
    finally:
        delete_keys(redis_client, f"{prefix}:*")
        # The error page's form may have opened a session, kept in this Redis too when create_app set sessions up.
        cookie = browser.get_cookie(COOKIE)
        if cookie is not None:
            redis_client.delete(f"bawaba:session:{hash_token(cookie.value)}")


def test_the_portal_s_redis_keys_have_their_own_prefix(limited_app: Callable[..., Flask], redis_client: Any) -> None:
    app = limited_app(REDIS_URL=REDIS_URL)
    storage = app.extensions[LIMITER_EXTENSION].storage
    assert isinstance(storage, RedisStorage)
    assert storage.key_prefix == "bawaba:limits"


def test_setting_up_twice_keeps_one_limiter(limited_app: Callable[..., Flask]) -> None:
    app = limited_app()
    assert init_rate_limits(app) is app.extensions[LIMITER_EXTENSION]
    assert len(app.extensions["limiter"]) == 1
