"""``prompt=login`` and ``max_age``: a client can ask for a sign-in newer than the portal session's.

The person is sent to the sign-in page (shown even though they are signed
in), signs in again with password and code, and comes back to the same
authorization request, parameters unchanged, whose ID token then carries the
new ``auth_time``. The requirement is kept on the server from the request's
first arrival: opening the sign-in page's ``next`` link directly, or a copy of
it with ``prompt`` and ``max_age`` taken out, issues no code. With
``prompt=none`` no page may be shown: the answer is ``login_required``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

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
    post_authorization,
    redeem,
    redirect_params,
    sign_in,
)

RATES = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
}


def sent_to_sign_in(response: object, *, fresh: bool = True) -> str:
    """The ``next`` of a redirect to the sign-in page (asking for a fresh sign-in unless told otherwise)."""
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]  # type: ignore[attr-defined]
    location = urlsplit(response.headers["Location"])  # type: ignore[attr-defined]
    assert location.path == "/account/sign-in"
    query = parse_qs(location.query)
    assert query.get("fresh") == (["1"] if fresh else None)
    return query["next"][0]


def password_and_code(app: Flask, browser: FlaskClient, resume: str) -> str:
    """Ahmed signs in on the page with his password and the SMS code; returns where the portal sends him."""
    first = browser.post(
        "/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": resume}
    )
    assert first.status_code == 303
    back = browser.post("/account/sign-in/code", data={"code": latest_code(app, AHMED_MOBILE)})
    assert back.status_code == 303
    location: str = back.headers["Location"]
    return location


def without(link: str, *names: str) -> str:
    parts = urlsplit(link)
    kept = [(name, value) for name, values in parse_qs(parts.query).items() for value in values if name not in names]
    return f"{parts.path}?{urlencode(kept)}"


def decision(resume: str) -> str:
    return resume.replace("/oidc/authorize?", "/oidc/authorize/decision?")


def test_prompt_login_signs_the_person_in_again_and_resumes_the_request(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(**RATES)
    portal = Portal(app)
    browser = app.test_client()
    portal.register(browser)  # signed in now, by registration
    rp = add_client(app)
    pkce = new_pkce()
    requested = time.time()
    query = authorization_params(rp, pkce, prompt="login consent")

    resume = sent_to_sign_in(browser.get("/oidc/authorize", query_string=query))
    resumed = parse_qs(urlsplit(resume).query)
    assert resumed["prompt"] == ["login consent"] and resumed["state"] == [query["state"]], "resumed unchanged"
    assert browser.get("/account/sign-in").status_code == 303, "without fresh, a signed-in person is sent on"
    form = browser.get(f"/account/sign-in?fresh=1&next={resume}")
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)

    assert password_and_code(app, browser, resume) == resume
    consent = browser.get(resume)
    assert consent.status_code == 200, "the new sign-in satisfies the request; prompt=consent still shows the page"
    returned = redirect_params(browser.post(decision(resume), data={"decision": "allow"}))
    assert returned["state"] == query["state"]
    tokens = redeem(browser, rp, returned["code"], pkce.verifier).get_json()
    assert decode_id_token(browser, tokens["id_token"])["auth_time"] >= int(requested)


def test_opening_the_next_link_directly_issues_no_code(make_oidc_app: Callable[..., Flask]) -> None:
    """The bypass: skipping the sign-in page, or stripping prompt and max_age from its next link."""
    app = make_oidc_app(**RATES)
    browser = app.test_client()
    Portal(app).register(browser)
    rp = add_client(app)
    pkce = new_pkce()
    query = authorization_params(rp, pkce, prompt="login", max_age="0")
    resume = sent_to_sign_in(browser.get("/oidc/authorize", query_string=query))

    for attempt in (resume, without(resume, "prompt"), without(resume, "prompt", "max_age")):
        again = browser.get(attempt)
        assert sent_to_sign_in(again), attempt
        forced = browser.post(decision(attempt), data={"decision": "allow"})
        assert sent_to_sign_in(forced), "nor through the consent form"
    posted = post_authorization(browser, {**query, "prompt": "consent"})
    sent_to_sign_in(posted)

    assert password_and_code(app, browser, resume) == resume
    returned = redirect_params(browser.post(decision(resume), data={"decision": "allow"}))
    assert "code" in returned, "after the real sign-in the same request goes through"


def test_one_sign_in_satisfies_a_request_that_found_nobody_signed_in(make_oidc_app: Callable[..., Flask]) -> None:
    """prompt=login or max_age=0 from a signed-out browser: the ordinary sign-in is the fresh one (no loop)."""
    app = make_oidc_app(**RATES)
    browser = app.test_client()
    Portal(app).register(browser)
    browser.post("/account/sign-out")
    rp = add_client(app)
    query = authorization_params(rp, new_pkce(), prompt="login", max_age="0")
    resume = sent_to_sign_in(browser.get("/oidc/authorize", query_string=query), fresh=False)
    assert password_and_code(app, browser, resume) == resume
    assert browser.get(resume).status_code == 200  # the consent page, not the sign-in page again


def test_max_age_sends_an_older_sign_in_back_and_lets_a_recent_one_through(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person, auth_time=int(time.time()) - 7200)
    old = authorization_params(rp, new_pkce(), max_age="3600")
    resume = sent_to_sign_in(browser.get("/oidc/authorize", query_string=old))
    assert parse_qs(urlsplit(resume).query)["max_age"] == ["3600"]

    sign_in(browser, person, auth_time=int(time.time()) - 60)
    assert browser.get(resume).status_code == 200, "the same request, after a newer sign-in, shows the consent page"
    recent = authorization_params(rp, new_pkce(), max_age="3600")
    assert browser.get("/oidc/authorize", query_string=recent).status_code == 200
    always = authorization_params(rp, new_pkce(), max_age="0")
    sent_to_sign_in(browser.get("/oidc/authorize", query_string=always))


def test_the_id_token_carries_auth_time_when_max_age_was_asked(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    signed_in_at = int(time.time()) - 30
    sign_in(browser, person, auth_time=signed_in_at)
    pkce = new_pkce()
    query = authorization_params(rp, pkce, max_age="600")
    assert browser.get("/oidc/authorize", query_string=query).status_code == 200
    returned = redirect_params(
        browser.post(decision(f"/oidc/authorize?{urlencode(query)}"), data={"decision": "allow"})
    )
    claims = decode_id_token(browser, redeem(browser, rp, returned["code"], pkce.verifier).get_json()["id_token"])
    assert claims["auth_time"] == signed_in_at


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
