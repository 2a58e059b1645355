"""``prompt=login`` and ``max_age``: a client can ask for a sign-in newer than the portal session's.

The person is sent to the sign-in page (shown even though they are signed
in), signs in again with password and code, and comes back to the same
authorization request, whose ID token then carries the new ``auth_time``.
With ``prompt=none`` no page may be shown: the answer is ``login_required``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient

from gateway.identity.models import Person
from tests.identity.conftest import AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.oidc.oidc_flow import (
    RegisteredClient,
    add_client,
    authorization_params,
    decode_id_token,
    new_pkce,
    redeem,
    redirect_params,
    sign_in,
)

RATES = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
}


def sent_to_sign_in(response: object) -> str:
    """The ``next`` of a redirect to the sign-in page that asks for a fresh sign-in."""
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]  # type: ignore[attr-defined]
    location = urlsplit(response.headers["Location"])  # type: ignore[attr-defined]
    assert location.path == "/account/sign-in"
    query = parse_qs(location.query)
    assert query["fresh"] == ["1"]
    return query["next"][0]


def test_prompt_login_signs_the_person_in_again_and_resumes_the_request(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(**RATES)
    portal = Portal(app)
    browser = app.test_client()
    portal.register(browser)  # signed in now, by registration
    rp = add_client(app)
    pkce = new_pkce()
    query = authorization_params(rp, pkce, prompt="login consent")

    resume = sent_to_sign_in(browser.get("/oidc/authorize", query_string=query))
    resumed = parse_qs(urlsplit(resume).query)
    assert resumed["prompt"] == ["consent"] and resumed["state"] == [query["state"]]
    assert browser.get("/account/sign-in").status_code == 303, "without fresh, a signed-in person is sent on"
    form = browser.get(f"/account/sign-in?fresh=1&next={resume}")
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)

    before = int(time.time())
    first = browser.post(
        "/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": resume}
    )
    assert first.status_code == 303
    back = browser.post("/account/sign-in/code", data={"code": latest_code(app, AHMED_MOBILE)})
    assert back.status_code == 303 and back.headers["Location"] == resume

    consent = browser.get(resume)
    assert consent.status_code == 200  # prompt=consent is kept
    returned = redirect_params(browser.post(resume, data={"decision": "allow"}))
    assert returned["state"] == query["state"]
    tokens = redeem(browser, rp, returned["code"], pkce.verifier).get_json()
    assert decode_id_token(browser, tokens["id_token"])["auth_time"] >= before


def test_max_age_sends_an_older_sign_in_back_and_lets_a_recent_one_through(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person, auth_time=int(time.time()) - 7200)
    old = authorization_params(rp, new_pkce(), max_age="3600")
    resume = sent_to_sign_in(browser.get("/oidc/authorize", query_string=old))
    assert "max_age" not in parse_qs(urlsplit(resume).query), "resumed after the new sign-in, it must not ask again"

    sign_in(browser, person, auth_time=int(time.time()) - 60)
    recent = authorization_params(rp, new_pkce(), max_age="3600")
    assert browser.get("/oidc/authorize", query_string=recent).status_code == 200  # the consent page
    always = authorization_params(rp, new_pkce(), max_age="0")
    sent_to_sign_in(browser.get("/oidc/authorize", query_string=always))


def test_without_a_page_to_show_the_answer_is_login_required(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person, auth_time=int(time.time()) - 7200)
    silent = authorization_params(rp, new_pkce(), prompt="none", max_age="60")
    returned = redirect_params(browser.get("/oidc/authorize", query_string=silent))
    assert (returned["error"], returned["state"]) == ("login_required", silent["state"])
    assert "code" not in returned


def test_a_malformed_max_age_or_prompt_is_refused_to_the_client(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp: RegisteredClient = add_client(oidc_app)
    sign_in(browser, person)
    for bad in ("soon", "-5", "1.5", "١٢٠", "9" * 40):
        query = authorization_params(rp, new_pkce(), max_age=bad)
        returned = redirect_params(browser.get("/oidc/authorize", query_string=query))
        assert returned["error"] == "invalid_request", bad
    both = authorization_params(rp, new_pkce(), prompt="none login")
    assert redirect_params(browser.get("/oidc/authorize", query_string=both))["error"] == "invalid_request"


def test_discovery_lists_prompt_login(oidc_app: Flask, browser: FlaskClient) -> None:
    document = browser.get("/.well-known/openid-configuration").get_json()
    assert set(document["prompt_values_supported"]) == {"none", "login", "consent"}
