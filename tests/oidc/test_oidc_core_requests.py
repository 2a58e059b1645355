"""Authorization requests as OpenID Connect Core and RFC 9207 / RFC 8252 describe them.

- every answer that goes back to the client, code or error, names the issuer (``iss``);
- a request may come form-encoded by POST; the consent decision keeps its CSRF check;
- ``ui_locales`` chooses the language of the consent and sign-in pages, for that flow only;
- a native public client registered with a loopback IP may come back on any port, no one else.
"""

from __future__ import annotations

import re
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
    add_person,
    authorization_params,
    decode_id_token,
    new_pkce,
    post_authorization,
    redeem,
    redirect_params,
    sign_in,
)

ISSUER = "http://localhost"
RATES = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
}


# -- RFC 9207: iss in every authorization response -----------------------------------------


def test_codes_and_errors_going_back_to_the_client_carry_iss(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    silent = authorization_params(rp, new_pkce(), prompt="none")
    nobody = redirect_params(browser.get("/oidc/authorize", query_string=silent))
    assert (nobody["error"], nobody["iss"]) == ("login_required", ISSUER)

    sign_in(browser, person)
    consent_needed = redirect_params(browser.get("/oidc/authorize", query_string=silent))
    assert (consent_needed["error"], consent_needed["iss"]) == ("consent_required", ISSUER)

    query = authorization_params(rp, new_pkce())
    denied = redirect_params(browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "deny"}))
    assert (denied["error"], denied["iss"], denied["state"]) == ("access_denied", ISSUER, query["state"])

    query = authorization_params(rp, new_pkce())
    allowed = redirect_params(browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}))
    assert allowed["iss"] == ISSUER and allowed["code"]
    remembered = redirect_params(browser.get("/oidc/authorize", query_string=authorization_params(rp, new_pkce())))
    assert remembered["iss"] == ISSUER and remembered["code"]
    bad_scope = redirect_params(
        browser.get("/oidc/authorize", query_string=authorization_params(rp, new_pkce(), scope="openid nope"))
    )
    assert (bad_scope["error"], bad_scope["iss"]) == ("invalid_scope", ISSUER)


def test_iss_follows_the_configured_issuer_and_discovery_says_so(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(OIDC_ISSUER="https://portal.example")
    browser = app.test_client()
    rp = add_client(app)
    returned = redirect_params(
        browser.get("/oidc/authorize", query_string=authorization_params(rp, new_pkce(), prompt="none"))
    )
    assert returned["iss"] == "https://portal.example"
    document = browser.get("/.well-known/openid-configuration").get_json()
    assert document["authorization_response_iss_parameter_supported"] is True
    assert document["issuer"] == returned["iss"]


# -- Core §3.1.2.1: authorization requests by POST -------------------------------------------


def test_a_posted_request_is_answered_like_the_same_request_by_get(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    pkce = new_pkce()
    query = authorization_params(rp, pkce, scope="openid profile")
    consent = post_authorization(browser, query)
    assert consent.status_code == 200 and 'id="consent-form"' in consent.get_data(as_text=True)
    returned = redirect_params(browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}))
    tokens = redeem(browser, rp, returned["code"], pkce.verifier).get_json()
    assert decode_id_token(browser, tokens["id_token"])["nonce"] == query["nonce"]

    again = authorization_params(rp, new_pkce(), scope="openid profile")
    assert "code" in redirect_params(post_authorization(browser, again)), "consent given before is used"


def test_posting_a_request_changes_nothing_and_is_the_only_csrf_free_step(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    person = add_person(app, id_number="1023456781")
    sign_in(browser, person)
    rp = add_client(app)
    query = authorization_params(rp, new_pkce())

    posted = browser.post("/oidc/authorize", data={**query, "decision": "allow"})
    assert posted.status_code == 303, "no CSRF token is asked of an app's form, and the decision field is ignored"
    assert urlsplit(posted.headers["Location"]).path == "/oidc/authorize"
    assert "Set-Cookie" not in posted.headers, "the session is not touched"
    shown = browser.get(posted.headers["Location"])
    assert shown.status_code == 200, "the person still sees the consent page: nothing was granted"

    forged = browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"})
    assert forged.status_code == 400 and "Location" not in forged.headers, "the consent decision needs its token"
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.get_data(as_text=True))
    assert token is not None
    allowed = browser.post(
        "/oidc/authorize/decision", query_string=query, data={"decision": "allow", "csrf_token": token.group(1)}
    )
    assert "code" in redirect_params(allowed)


def test_a_posted_request_from_an_unknown_client_gets_no_redirect(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    for change in ({"client_id": "bwb_nobody"}, {"redirect_uri": "https://evil.example/callback"}):
        answer = browser.post("/oidc/authorize", data={**authorization_params(rp, new_pkce()), **change})
        assert answer.status_code == 400 and "Location" not in answer.headers, change


# -- ui_locales ------------------------------------------------------------------------------


def test_ui_locales_chooses_the_consent_pages_language_for_that_request_only(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app, name="Demo App")
    sign_in(browser, person)
    arabic = {"Accept-Language": "ar"}
    english_asked = authorization_params(rp, new_pkce(), ui_locales="fr-CA en-GB ar")
    page = browser.get("/oidc/authorize", query_string=english_asked, headers=arabic)
    html = page.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html and "Sign in to Demo App with Bawaba" in html
    assert "lang=" not in page.headers.get("Set-Cookie", ""), "the person's own choice (the cookie) is not changed"
    action = re.search(r'id="consent-form" method="post" action="([^"]+)"', html)
    assert action is not None and "ui_locales=" in action.group(1), "the decision keeps the flow's language"

    unsupported = authorization_params(rp, new_pkce(), ui_locales="fr de")
    assert '<html lang="ar" dir="rtl">' in browser.get(
        "/oidc/authorize", query_string=unsupported, headers=arabic
    ).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in browser.get("/account/", headers=arabic).get_data(as_text=True)

    arabic_asked = authorization_params(rp, new_pkce(), ui_locales="ar")
    english_browser = browser.get("/oidc/authorize", query_string=arabic_asked, headers={"Accept-Language": "en"})
    assert '<html lang="ar" dir="rtl">' in english_browser.get_data(as_text=True)


def test_ui_locales_carries_through_sign_in_and_code_and_ends_with_the_flow(
    make_oidc_app: Callable[..., Flask],
) -> None:
    app = make_oidc_app(**RATES)
    portal = Portal(app)
    browser = app.test_client()
    portal.register(browser)
    browser.post("/account/sign-out")
    rp = add_client(app)
    arabic = {"Accept-Language": "ar"}
    query = authorization_params(rp, new_pkce(), ui_locales="en")
    to_sign_in = browser.get("/oidc/authorize", query_string=query, headers=arabic)
    location = urlsplit(to_sign_in.headers["Location"])
    assert parse_qs(location.query)["ui_locales"] == ["en"]
    page = browser.get(f"{location.path}?{location.query}", headers=arabic).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "<h1>Sign in</h1>" in page

    resume = parse_qs(location.query)["next"][0]
    wrong = browser.post(
        "/account/sign-in", data={"identifier": "1000000008", "password": "wrong", "next": resume}, headers=arabic
    )
    assert wrong.status_code == 401 and '<html lang="en" dir="ltr">' in wrong.get_data(as_text=True)
    browser.post("/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": resume})
    code_page = browser.get("/account/sign-in/code", headers=arabic).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in code_page and "Enter your sign-in code" in code_page
    done = browser.post("/account/sign-in/code", data={"code": latest_code(app, AHMED_MOBILE)}, headers=arabic)
    assert done.headers["Location"] == resume
    consent = browser.get(resume, headers=arabic).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in consent

    after = browser.get("/account/", headers=arabic).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in after, "the flow is over: the portal is in the person's language again"
    fresh_form = browser.get("/account/sign-in?fresh=1", headers=arabic).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in fresh_form


def test_switching_language_by_hand_wins_over_ui_locales(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    query = authorization_params(rp, new_pkce(), ui_locales="en")
    path = "/oidc/authorize?" + "&".join(f"{key}={value}" for key, value in query.items())
    switched = browser.post("/language", data={"language": "ar", "next": path})
    target = switched.headers["Location"]
    assert "ui_locales" not in target and urlsplit(target).path == "/oidc/authorize"
    assert '<html lang="ar" dir="rtl">' in browser.get(target).get_data(as_text=True)


# -- RFC 8252 §7.3: loopback redirect URIs for native apps -----------------------------------


def _loopback(app: Flask, registered: str, auth_method: str) -> RegisteredClient:
    return add_client(app, redirect_uris=[registered], auth_method=auth_method)


def test_a_native_public_client_may_come_back_on_any_loopback_port(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    sign_in(browser, person)
    for registered, used in (
        ("http://127.0.0.1/callback", "http://127.0.0.1:51234/callback"),
        ("http://127.0.0.1:8400/callback", "http://127.0.0.1:1025/callback"),
        ("http://[::1]/oauth", "http://[::1]:65535/oauth"),
    ):
        rp = _loopback(oidc_app, registered, "none")
        pkce = new_pkce()
        query = authorization_params(rp, pkce, redirect_uri=used)
        answer = browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"})
        assert answer.headers["Location"].startswith(used + "?"), used
        code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
        redeemed = browser.post(
            "/oidc/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": used,
                "code_verifier": pkce.verifier,
                "client_id": rp.client_id,
            },
        )
        assert redeemed.status_code == 200, redeemed.get_json()


def test_the_port_is_the_only_thing_that_may_change_and_only_for_native_public_clients(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    sign_in(browser, person)
    native = _loopback(oidc_app, "http://127.0.0.1/callback", "none")
    for changed in (
        "http://127.0.0.1:5000/callback/",
        "http://127.0.0.1:5000/other",
        "http://127.0.0.1:5000/callback?x=1",
        "https://127.0.0.1:5000/callback",
        "http://127.0.0.2:5000/callback",
        "http://localhost:5000/callback",
        "http://[::1]:5000/callback",
        "http://127.0.0.1:0/callback",
        "http://127.0.0.1:70000/callback",
        "http://127.0.0.1:5000:6000/callback",
        "http://user@127.0.0.1:5000/callback",
        "http://127.0.0.1.evil.example:5000/callback",
    ):
        query = authorization_params(native, new_pkce(), redirect_uri=changed)
        answer = browser.get("/oidc/authorize", query_string=query)
        assert answer.status_code == 400 and "Location" not in answer.headers, changed

    confidential = _loopback(oidc_app, "http://127.0.0.1/callback", "client_secret_basic")
    query = authorization_params(confidential, new_pkce(), redirect_uri="http://127.0.0.1:5000/callback")
    assert browser.get("/oidc/authorize", query_string=query).status_code == 400, "not for a confidential client"
    web = add_client(oidc_app, redirect_uris=["http://localhost:8000/callback"], auth_method="none")
    query = authorization_params(web, new_pkce(), redirect_uri="http://localhost:9000/callback")
    assert browser.get("/oidc/authorize", query_string=query).status_code == 400, "nor for localhost (RFC 8252 §8.3)"


def test_auth_time_is_whole_seconds(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    """The sign-in instant is kept with fractions for comparisons, but the ID token's auth_time is an integer."""
    rp = add_client(oidc_app)
    sign_in(browser, person, auth_time=int(time.time()))
    pkce = new_pkce()
    query = authorization_params(rp, pkce)
    returned = redirect_params(browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}))
    claims = decode_id_token(browser, redeem(browser, rp, returned["code"], pkce.verifier).get_json()["id_token"])
    assert isinstance(claims["auth_time"], int)
