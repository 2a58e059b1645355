"""The authorization endpoint: sign-in redirect, consent, and every request it must refuse."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from gateway.identity.models import Person
from gateway.oidc.models import OAuthClient, OAuthConsent
from tests.oidc.oidc_flow import (
    REDIRECT_URI,
    add_client,
    add_person,
    authorization_params,
    new_pkce,
    obtain_code,
    post_authorization,
    redirect_params,
    sign_in,
)


def test_without_a_session_the_person_is_sent_to_sign_in_and_back(oidc_app: Flask, browser: FlaskClient) -> None:
    rp = add_client(oidc_app)
    query = authorization_params(rp, new_pkce())
    response = browser.get("/oidc/authorize", query_string=query)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == "/account/sign-in"
    back = parse_qs(location.query)["next"][0]
    assert back.startswith("/oidc/authorize?")
    assert parse_qs(urlsplit(back).query)["nonce"] == [query["nonce"]]


def test_the_consent_page_lists_the_requested_scopes(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app, name="Tawakkalna Demo")
    sign_in(browser, person)
    query = authorization_params(rp, new_pkce(), scope="openid email phone")
    page = browser.get("/oidc/authorize", query_string=query, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Tawakkalna Demo" in html
    assert "Your email address" in html
    assert "Your mobile number" in html
    assert "Your name and date of birth" not in html
    assert "national ID or iqama" not in html
    assert 'lang="ar" dir="rtl"' in html  # each scope is also described in the other language
    assert 'name="csrf_token"' in html
    assert 'value="allow"' in html and 'value="deny"' in html
    assert "rp.example" in html

    arabic = browser.get("/oidc/authorize", query_string=query, headers={"Accept-Language": "ar"})
    page_ar = arabic.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page_ar
    assert "بريدك الإلكتروني" in page_ar and "رقم جوالك" in page_ar
    assert 'lang="en" dir="ltr">Your email address' in page_ar, "and each scope in English too"


def test_allow_issues_a_code_and_consent_is_remembered_until_scopes_grow(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    query = authorization_params(rp, new_pkce(), scope="openid profile")
    assert browser.get("/oidc/authorize", query_string=query).status_code == 200
    allowed = redirect_params(browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}))
    assert allowed["state"] == query["state"]
    assert len(allowed["code"]) >= 40

    again = authorization_params(rp, new_pkce(), scope="openid profile")
    remembered = browser.get("/oidc/authorize", query_string=again)
    assert "code" in redirect_params(remembered), "the same scopes are not asked twice"

    more = authorization_params(rp, new_pkce(), scope="openid profile email")
    assert browser.get("/oidc/authorize", query_string=more).status_code == 200, "a new scope asks again"

    forced = authorization_params(rp, new_pkce(), scope="openid profile", prompt="consent")
    assert browser.get("/oidc/authorize", query_string=forced).status_code == 200


def test_deny_sends_access_denied_back_and_nonsense_is_a_400(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    query = authorization_params(rp, new_pkce())
    denied = redirect_params(browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "deny"}))
    assert (denied["error"], denied["state"]) == ("access_denied", query["state"])
    assert "code" not in denied
    with oidc_app.app_context():
        session = oidc_app.extensions["gateway"].db_session()
        assert session.scalar(select(OAuthConsent)) is None

    unknown = browser.post(
        "/oidc/authorize/decision", query_string=authorization_params(rp, new_pkce()), data={"decision": "maybe"}
    )
    assert unknown.status_code == 400
    assert "Location" not in unknown.headers


CHANGED_REDIRECT_URIS = (
    "https://rp.example/callback/",
    "https://rp.example/callback/../evil",
    "https://rp.example/callbackx",
    "https://rp.example/callback?x=1",
    "https://RP.example/callback",
    "http://rp.example/callback",
    "https://rp.example.evil.test/callback",
    "https://evil.test/callback",
    "",
)


def test_a_changed_redirect_uri_is_never_followed(oidc_app: Flask, browser: FlaskClient, person: Person) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    for redirect_uri in CHANGED_REDIRECT_URIS:
        query = authorization_params(rp, new_pkce(), redirect_uri=redirect_uri)
        english = {"Accept-Language": "en"}
        for response in (
            browser.get("/oidc/authorize", query_string=query, headers=english),
            browser.post("/oidc/authorize", data=query, headers=english),
            browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}, headers=english),
        ):
            assert response.status_code == 400, redirect_uri
            assert "Location" not in response.headers, redirect_uri
            assert "cannot be used" in response.get_data(as_text=True)


def test_an_unknown_client_or_a_missing_or_repeated_redirect_uri_gets_no_redirect(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app, redirect_uris=[REDIRECT_URI, "https://rp.example/other"])
    sign_in(browser, person)
    missing = authorization_params(rp, new_pkce())
    del missing["redirect_uri"]
    unknown = authorization_params(rp, new_pkce(), client_id="bwb_not-registered")
    repeated = authorization_params(rp, new_pkce())
    repeated_url = "/oidc/authorize?" + "&".join(f"{key}={value}" for key, value in repeated.items())
    for response in (
        browser.get("/oidc/authorize", query_string=missing),
        browser.get("/oidc/authorize", query_string=unknown),
        browser.get(repeated_url + "&redirect_uri=https://rp.example/other"),
        browser.get(repeated_url + f"&client_id={rp.client_id}"),
    ):
        assert response.status_code == 400
        assert "Location" not in response.headers

    with oidc_app.app_context():
        session = oidc_app.extensions["gateway"].db_session()
        session.execute(update(OAuthClient).where(OAuthClient.client_id == rp.client_id).values(revoked=True))
        session.commit()
    revoked = browser.get("/oidc/authorize", query_string=authorization_params(rp, new_pkce()))
    assert revoked.status_code == 400
    assert "Location" not in revoked.headers


BAD_REQUESTS: tuple[tuple[dict[str, str | None], str], ...] = (
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge_method": None}, "invalid_request"),
    ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
    ({"code_challenge": "too-short"}, "invalid_request"),
    ({"nonce": ""}, "invalid_request"),
    ({"nonce": "n" * 256}, "invalid_request"),
    ({"scope": "profile email"}, "invalid_scope"),
    ({"scope": "openid national_id"}, "invalid_scope"),
    ({"scope": "openid offline_access"}, "invalid_scope"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": "id_token"}, "unsupported_response_type"),
    ({"response_type": "code id_token"}, "unsupported_response_type"),
    ({"request": "eyJhbGciOiJub25lIn0.e30."}, "request_not_supported"),
    ({"request_uri": "https://rp.example/request.jwt"}, "request_uri_not_supported"),
)
"""Plain or missing PKCE, missing or oversized nonce, scopes, implicit and hybrid flows, request objects."""


def test_bad_requests_from_a_verified_client_go_back_with_an_error(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    for change, error in BAD_REQUESTS:
        query = authorization_params(rp, new_pkce())
        for key, value in change.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = value
        for answer in (
            browser.get("/oidc/authorize", query_string=query),
            post_authorization(browser, query),
            browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}),
        ):
            returned = redirect_params(answer)
            assert returned["error"] == error, change
            assert returned["state"] == query["state"]
            assert returned["iss"] == "http://localhost", "errors name the issuer too (RFC 9207)"
            assert "code" not in returned, change


def test_a_nonce_is_never_accepted_twice_by_the_same_client(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    other = add_client(oidc_app)
    sign_in(browser, person)
    obtain_code(browser, rp, new_pkce(), nonce="once-only")
    replay = authorization_params(rp, new_pkce(), nonce="once-only")
    for answer in (
        browser.get("/oidc/authorize", query_string=replay),
        post_authorization(browser, replay),
        browser.post("/oidc/authorize/decision", query_string=replay, data={"decision": "allow"}),
    ):
        returned = redirect_params(answer)
        assert returned["error"] == "invalid_request"
        assert "code" not in returned
    assert obtain_code(browser, other, new_pkce(), nonce="once-only"), "nonces are per client"


def test_prompt_none_without_a_session_answers_login_required(oidc_app: Flask, browser: FlaskClient) -> None:
    rp = add_client(oidc_app)
    query = authorization_params(rp, new_pkce(), prompt="none")
    returned = redirect_params(browser.get("/oidc/authorize", query_string=query))
    assert (returned["error"], returned["state"]) == ("login_required", query["state"])
    assert "code" not in returned

    forged = authorization_params(rp, new_pkce(), prompt="none", redirect_uri="https://evil.test/cb")
    response = browser.get("/oidc/authorize", query_string=forged)
    assert response.status_code == 400, "only a verified redirect URI ever receives login_required"
    assert "Location" not in response.headers


def test_prompt_none_with_a_session_needs_earlier_consent(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    query = authorization_params(rp, new_pkce(), prompt="none")
    assert redirect_params(browser.get("/oidc/authorize", query_string=query))["error"] == "consent_required"
    obtain_code(browser, rp, new_pkce())
    silent = authorization_params(rp, new_pkce(), prompt="none")
    assert "code" in redirect_params(browser.get("/oidc/authorize", query_string=silent))


def test_a_session_of_a_person_who_no_longer_exists_is_not_signed_in(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    with browser.session_transaction() as flask_session:
        flask_session["person_id"] = person.id + 1000
    response = browser.get("/oidc/authorize", query_string=authorization_params(rp, new_pkce()))
    assert urlsplit(response.headers["Location"]).path == "/account/sign-in"


def test_the_consent_form_needs_its_csrf_token(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app(WTF_CSRF_ENABLED=True)
    someone = add_person(app, id_number="1023456781")
    browser = app.test_client()
    rp = add_client(app)
    sign_in(browser, someone)
    query = authorization_params(rp, new_pkce())
    assert browser.get("/oidc/authorize", query_string=query).status_code == 200
    forged = browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"})
    assert forged.status_code == 400
    assert "Location" not in forged.headers
