"""Health probes, and error pages in both languages or as JSON."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient


def test_healthz_answers_without_the_database(make_app: Callable[..., Flask]) -> None:
    app = make_app(
        DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1", migrate_database=False
    )
    client = app.test_client()
    alive = client.get("/healthz")
    assert alive.status_code == 200
    assert alive.get_json() == {"status": "alive"}
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    body = not_ready.get_json()
    assert {key: body[key] for key in ("status", "checks")} == {
        "status": "not ready",
        "checks": {"database": "unreachable"},
    }
    assert body["tasks"]["queue"] == "ok"  # the queue's own store answers; it never decides readiness


@pytest.mark.parametrize(
    ("language", "title"),
    [("ar", "الصفحة غير موجودة"), ("en", "Page not found")],
)
def test_404_page_in_both_languages(client: FlaskClient, language: str, title: str) -> None:
    response = client.get("/no/such/page", headers={"Accept-Language": language})
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert title in text
    assert f'<html lang="{language}"' in text
    assert 'href="/"' in text


def test_403_and_500_pages_in_both_languages(app: Flask) -> None:
    @app.get("/test-forbidden")
    def forbidden() -> str:
        abort(403)

    @app.get("/test-crash")
    def crash() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    client = app.test_client()
    arabic = client.get("/test-forbidden")
    assert arabic.status_code == 403
    assert "ليس لديك صلاحية" in arabic.get_data(as_text=True)
    english = client.get("/test-forbidden", headers={"Accept-Language": "en"})
    assert "You do not have access to this page" in english.get_data(as_text=True)

    crashed = client.get("/test-crash", headers={"Accept-Language": "en"})
    assert crashed.status_code == 500
    text = crashed.get_data(as_text=True)
    assert "Something went wrong on our side" in text
    assert "hunter2" not in text and "RuntimeError" not in text
    assert crashed.headers["X-Request-ID"] in text
    assert "حدث خطأ من جهتنا" in client.get("/test-crash").get_data(as_text=True)


def test_json_clients_get_json_errors(client: FlaskClient) -> None:
    by_accept = client.get("/no/such/page", headers={"Accept": "application/json", "Accept-Language": "en"})
    assert by_accept.status_code == 404
    assert by_accept.mimetype == "application/json"
    assert by_accept.get_json() == {
        "error": {
            "code": 404,
            "name": "not_found",
            "title": "Page not found",
            "message": by_accept.get_json()["error"]["message"],
        }
    }
    by_path = client.get("/-/nothing-here")
    assert by_path.mimetype == "application/json"
    assert by_path.get_json()["error"]["title"] == "الصفحة غير موجودة"
    browser = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.mimetype == "text/html"


def test_method_not_allowed_keeps_the_allow_header(client: FlaskClient) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_a_program_address_without_its_slash_is_redirected_and_others_are_404(client: FlaskClient) -> None:
    redirected = client.get("/musaned")
    assert redirected.status_code == 308
    assert redirected.headers["Location"].endswith("/musaned/")
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/musaned/no-such-page").status_code == 404
