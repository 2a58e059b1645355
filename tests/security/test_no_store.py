"""Personal pages are never stored: ``Cache-Control: no-store`` on every answer to a signed-in browser.

The test walks the app's URL map, as the CSRF test does, so a page added
later is covered without anyone listing it: every GET route is opened by
Ahmed's signed-in browser (a staff member's for the back office) and each
answer — page, redirect, 404, download, JSON — must say ``no-store`` and
``Pragma: no-cache``, so the back button after sign-out or the next person
at a shared computer finds nothing. Static files keep their caching; public
pages opened anonymously keep what they had. The pages of a sign-in in
progress (a masked mobile) are covered too.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from gateway.registry.adapter import registry_for
from tests.identity.conftest import GOOD_PASSWORD, latest_code
from tests.security.portal import EN, World, text
from tests.security.test_csrf import placeholders
from tests.security.verdict import note

SKIPPED_ENDPOINTS = {"static"}
"""The same bytes for everyone, cached as they always were."""


def get_paths(world: World) -> list[tuple[str, str]]:
    """(endpoint, concrete path) of every GET route, plugins' included."""
    values = placeholders(world)
    found = []
    for rule in world.app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint.rsplit(".", 1)[-1] in SKIPPED_ENDPOINTS:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", values.get(name, "x"), path)
        found.append((rule.endpoint, path))
    return found


def assert_no_store(answer: object, where: str) -> None:
    headers = answer.headers  # type: ignore[attr-defined]
    assert "no-store" in headers.get("Cache-Control", ""), (where, headers.get("Cache-Control"))
    assert headers.get("Pragma") == "no-cache", where


def browser_for(world: World, path: str) -> FlaskClient:
    return world.reviewer if path.startswith("/backoffice/") else world.ahmed.client


def test_every_answer_to_a_signed_in_browser_says_no_store(world: World) -> None:
    checked = 0
    for endpoint, path in get_paths(world):
        answer = browser_for(world, path).get(path, headers=EN)
        assert answer.status_code != 500, path
        assert_no_store(answer, f"{endpoint} {path} {answer.status_code}")
        checked += 1
    assert checked >= 40, checked
    note(__name__, f"{checked} GET routes opened signed in (citizen or staff): every answer no-store, Pragma no-cache")


def test_the_account_page_with_the_id_number_is_not_stored(world: World) -> None:
    page = world.ahmed.client.get("/account/", headers=EN)
    assert page.status_code == 200 and world.ahmed.id_number in text(page)
    assert_no_store(page, "/account/")


def test_the_pages_of_a_sign_in_in_progress_and_the_sign_out_are_not_stored(world: World) -> None:
    started = world.app.test_client()
    answer = started.post("/account/sign-in", data={"identifier": world.ahmed.id_number, "password": GOOD_PASSWORD})
    assert answer.status_code == 303
    assert_no_store(answer, "the password step's redirect")
    code_page = started.get("/account/sign-in/code", headers=EN)
    assert code_page.status_code == 200 and "•" in text(code_page)  # the masked mobile
    assert_no_store(code_page, "sign-in code page")
    record = registry_for(world.app).lookup(world.ahmed.id_number)
    assert record is not None
    signed_in = started.post("/account/sign-in/code", data={"code": latest_code(world.app, record.mobile)})
    assert signed_in.status_code == 303
    assert_no_store(signed_in, "the code step's redirect")
    signed_out = started.post("/account/sign-out")
    assert signed_out.status_code == 303
    assert_no_store(signed_out, "the sign-out's redirect")


def test_public_pages_and_static_files_keep_what_they_have(world: World) -> None:
    visitor = world.app.test_client()
    for path in ("/", "/account/sign-in", "/musaned/", "/static/css/main.css"):
        answer = visitor.get(path, headers=EN)
        assert answer.status_code == 200, path
        assert "no-store" not in answer.headers.get("Cache-Control", ""), path
        assert "Pragma" not in answer.headers, path
    signed_in_css = world.ahmed.client.get("/static/css/main.css")
    assert signed_in_css.status_code == 200
    assert "no-store" not in signed_in_css.headers.get("Cache-Control", "")
