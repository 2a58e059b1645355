"""CSRF: every state-changing request of a browser session needs that session's own token.

The test walks the app's URL map, so a form added later is covered without
anyone remembering to list it: each rule that accepts POST, PUT, PATCH or
DELETE is sent by Ahmed's signed-in browser (or a staff member's) without a
token, and with a token the attacker fetched in a session of their own. Both
answer 400 with the translated "form has expired" page, and nothing changes.
The only rules that take no token are the machine endpoints authenticated
otherwise (bearer tokens, client credentials, a signed body), listed here so
a new exemption is a deliberate, reviewed change.

The world is built with the token check off (its helpers post like the
portal's own tests) and the check is switched on for this module: Flask-WTF
reads ``WTF_CSRF_ENABLED`` on every request, so what runs is the production check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.security.portal import EN, World, csrf_token, text
from tests.security.verdict import note

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
MACHINE_ENDPOINTS = {
    "api.put_draft_step": "bearer access token, no cookie read",
    "api.submit": "bearer access token, no cookie read",
    "oidc.authorize": "an app's form-encoded authorization request: only turned into the same GET (303)",
    "oidc.end_session": "an app's form-encoded logout request: only turned into the same GET (303)",
    "oidc.token": "client credentials (RFC 6749)",
    "oidc.revoke": "client credentials (RFC 7009)",
    "oidc.userinfo": "bearer access token",
    "payments.callback": "HMAC-SHA256 signature of the body",
    "calculations_api.calculate": "JSON in, JSON out: public ones change nothing, the others need a bearer token",
}
CSRF_MESSAGE = "The form has expired. Please go back, reload the page and try again."


@pytest.fixture(scope="module")
def guarded(world: World) -> Iterator[World]:
    world.app.config["WTF_CSRF_ENABLED"] = True
    yield world
    world.app.config["WTF_CSRF_ENABLED"] = False


def placeholders(world: World) -> dict[str, str]:
    """A real value for each URL variable, so the request reaches the view if the token check lets it."""
    return {
        "program": "musaned",
        "service": "new_visa",
        "step": "worker",
        "reference": world.ahmed.contract,
        "bill_number": world.ahmed.contract_bill,
        "public_id": world.ahmed.document,
        "staff_id": "1",
        "field": "email",
        "adapter_name": "sandbox",
        "slug": "musaned",
        "_rest": "x",
        "licence": "ML-1001",
        "name": "entitlement",
        "section": "housing",
    }


def state_changing_rules(world: World) -> list[tuple[Rule, str, str]]:
    """Every (rule, method, concrete path) that can change state."""
    values = placeholders(world)
    found = []
    for rule in world.app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & STATE_CHANGING):
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", values[name], path)
            found.append((rule, method, path))
    return found


def client_for(world: World, path: str) -> FlaskClient:
    """The victim: staff for the back office, Ahmed everywhere else; the session has a token of its own."""
    victim = world.reviewer if path.startswith("/backoffice/") else world.ahmed.client
    victim.get("/backoffice/" if path.startswith("/backoffice/") else "/account/")  # a page with forms
    return victim


def attacker_token(world: World) -> str:
    """A valid token, for the attacker's own session (fetched from the sign-in page in their browser)."""
    return csrf_token(text(world.app.test_client().get("/account/sign-in")))


def send(client: FlaskClient, method: str, path: str, **kwargs: Any) -> Any:
    headers = {**EN, **kwargs.pop("headers", {})}
    return client.open(path, method=method, headers=headers, **kwargs)


def test_every_state_changing_request_without_a_token_or_with_anothers_is_refused(guarded: World) -> None:
    stolen = attacker_token(guarded)
    exempt = set()
    checked = 0
    for rule, method, path in state_changing_rules(guarded):
        victim = client_for(guarded, path)
        without = send(victim, method, path, data={"comment": "x"})
        if rule.endpoint in MACHINE_ENDPOINTS:
            assert without.status_code != 500, path
            exempt.add(rule.endpoint)
            continue
        assert without.status_code == 400, (method, path, without.status_code)
        assert CSRF_MESSAGE in text(without), path
        foreign = send(victim, method, path, data={"csrf_token": stolen, "comment": "x"})
        assert foreign.status_code == 400, (method, path, foreign.status_code)
        in_header = send(victim, method, path, data={"comment": "x"}, headers={"X-CSRFToken": stolen})
        assert in_header.status_code == 400, (method, path, in_header.status_code)
        checked += 1
    assert exempt == set(MACHINE_ENDPOINTS)
    assert checked >= 30, checked
    note(
        __name__,
        f"{checked} state-changing routes refused without a token, with another session's token "
        f"in the form and in X-CSRFToken; {len(exempt)} machine endpoints exempt by design",
    )


def test_a_refused_request_changes_nothing(guarded: World) -> None:
    ahmed = guarded.ahmed.client
    stolen = attacker_token(guarded)
    assert send(ahmed, "POST", "/account/sign-out", data={"csrf_token": stolen}).status_code == 400
    assert ahmed.get("/account/", headers=EN).status_code == 200  # still signed in

    path = f"/applications/{guarded.ahmed.ticket}/move"
    refused = send(ahmed, "POST", path, data={"target": "closed", "csrf_token": stolen})
    assert refused.status_code == 400
    assert guarded.application(guarded.ahmed.ticket).state == "submitted"

    pay = f"/payments/bills/{guarded.ahmed.contract_bill}/sandbox-pay"
    assert send(ahmed, "POST", pay, data={"csrf_token": stolen}).status_code == 400
    assert guarded.bill(guarded.ahmed.contract_bill).status == "unpaid"


def test_the_sessions_own_token_is_accepted(guarded: World) -> None:
    """The control: the same kind of request with the token of the page works."""
    noura = guarded.noura.client
    page = text(noura.get(f"/applications/{guarded.noura.ticket}", headers=EN))
    moved = send(
        noura,
        "POST",
        f"/applications/{guarded.noura.ticket}/move",
        data={
            "target": "closed",
            "csrf_token": csrf_token(page),
        },
    )
    assert moved.status_code == 303, text(moved)
    assert guarded.application(guarded.noura.ticket).state == "closed"


FORM_PAGES = [
    "/account/",
    "/account/password",
    "/account/contact/email",
    "/applications/",
    "/notifications/",
    "/musaned/",
    "/apply/musaned/support_tickets/ticket",
]


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_post_form_on_a_page_carries_a_token(guarded: World, path: str) -> None:
    html = text(guarded.ahmed.client.get(path, headers=EN))
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, re.S | re.I)
    posted = [form for form in forms if re.search(r'method="post"', form, re.I)]
    assert posted, f"{path} has no form to check"
    for form in posted:
        assert 'name="csrf_token"' in form, form[:200]


def test_every_post_form_of_the_back_office_carries_a_token(guarded: World) -> None:
    for path in (
        "/backoffice/",
        "/backoffice/musaned/queue",
        f"/backoffice/musaned/applications/{guarded.ahmed.contract}",
    ):
        html = text(guarded.reviewer.get(path, headers=EN))
        for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.S | re.I):
            if re.search(r'method="post"', form, re.I):
                assert 'name="csrf_token"' in form, (path, form[:200])
