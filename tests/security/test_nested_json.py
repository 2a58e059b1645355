"""Deeply nested JSON: ``"[" * 100000 + "]" * 100000`` is a clear 400 on every route, never a 500.

Python's JSON parser recurses per level, so that body raised RecursionError
(a 500) on the API's draft PUT. The guard refuses it before any view parses
it; the test walks the URL map, as the CSRF test does, so every route that
takes a body is covered — the API (with a real bearer token), the
calculations API, the payment callback (whatever media type it is sent
with), the OpenID Connect endpoints, and every form route — and checks the
message is JSON and in the caller's language. JSON of ordinary depth still
reaches the views.
"""

from __future__ import annotations

import re

from tests.oidc.oidc_flow import add_client, tokens_for
from tests.security.portal import EN, World
from tests.security.test_csrf import STATE_CHANGING, placeholders
from tests.security.verdict import note

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000
MESSAGE = "nested too deeply"
JSON_ROUTES = ("api.put_draft_step", "api.submit", "calculations_api.calculate", "payments.callback")


def body_paths(world: World) -> list[tuple[str, str, str]]:
    """(endpoint, method, concrete path) of every route that takes a body."""
    values = placeholders(world)
    found = []
    for rule in world.app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & STATE_CHANGING):
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", values.get(name, "x"), path)
            found.append((rule.endpoint, method, path))
    return found


def bearer_token(world: World) -> str:
    app_client = add_client(world.app, scopes=["openid", "profile", "applications"], name="Nested JSON app")
    return str(tokens_for(world.ahmed.client, app_client, scope="openid applications")["access_token"])


def test_every_route_answers_deeply_nested_json_with_a_clear_400(world: World) -> None:
    headers = {"Authorization": f"Bearer {bearer_token(world)}", "Accept-Language": "en"}
    client = world.app.test_client()
    seen = set()
    for endpoint, method, path in body_paths(world):
        for body in (DEEP, DEEP_OBJECT):
            answer = client.open(path, method=method, data=body, content_type="application/json", headers=headers)
            assert answer.status_code == 400, (endpoint, path, answer.status_code)
            error = answer.get_json()["error"]
            assert error["name"] == "json_too_deep" and MESSAGE in error["message"], (endpoint, error)
        seen.add(endpoint)
    assert set(JSON_ROUTES) <= seen
    note(__name__, f"{len(seen)} routes with a body: 100,000 nested arrays and 50,000 nested objects → 400 JSON")


def test_the_payment_callback_refuses_it_whatever_the_media_type(world: World) -> None:
    client = world.app.test_client()
    for content_type in ("text/plain", "application/octet-stream", "application/vnd.provider+json"):
        answer = client.post("/payments/callback/sandbox", data=DEEP, content_type=content_type, headers=EN)
        assert answer.status_code == 400, content_type
        assert MESSAGE in answer.get_json()["error"]["message"]


def test_the_message_is_in_the_callers_language(world: World) -> None:
    answer = world.app.test_client().put(
        "/api/v1/programs/musaned/services/new_visa/draft",
        data=DEEP,
        content_type="application/json",
        headers={"Accept-Language": "ar"},
    )
    assert answer.status_code == 400
    message = answer.get_json()["error"]["message"]
    assert MESSAGE not in message and "JSON" in message  # Arabic, naming the format


def test_json_of_ordinary_depth_still_reaches_the_views(world: World) -> None:
    client = world.app.test_client()
    ordinary = '{"situation": ' + "[" * 20 + "]" * 20 + "}"
    answer = client.post(
        "/api/v1/programs/social_security/calculations/entitlement", data=ordinary, content_type="application/json"
    )
    assert answer.status_code in (401, 422), answer.status_code  # the view's own answer, not the guard's
    assert "json_too_deep" not in answer.get_data(as_text=True)
    strings = '{"a": "' + "[" * 1000 + '\\"' + "{" * 1000 + '"}'
    answer = client.post("/payments/callback/sandbox", data=strings, content_type="application/json")
    assert answer.status_code != 400 or "json_too_deep" not in answer.get_data(as_text=True)  # brackets in strings
