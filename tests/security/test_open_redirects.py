"""Open redirects: ``next`` on sign-in, the language switch and the back office, and OIDC's ``redirect_uri``.

A link to the portal that bounces the visitor to an attacker's look-alike
site after they sign in is a phishing tool. Each ``next`` below is one of the
ways browsers can be made to leave a site (scheme, protocol-relative,
backslashes, control characters, userinfo); wherever the portal redirects,
the Location must resolve to the portal itself. An OIDC authorization
request naming an address the client did not register gets an error page
and no redirect at all, signed in or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask

from gateway.backoffice.staff import create_staff
from tests.identity.conftest import AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.musaned.conftest import STAFF_PASSWORD, Musaned
from tests.oidc.oidc_flow import add_client, authorization_params, new_pkce
from tests.security.portal import EN, text

PORTAL = "http://localhost/"
EVIL_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "////evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example/",
    "\\/\\/evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    " //evil.example/",
    "\t//evil.example/",
    "/\t/evil.example/",
    "/\r\nLocation: https://evil.example/",
    "//evil.example@localhost/",
    "https://localhost.evil.example/",
    "%2F%2Fevil.example/",
    "/%2F%2Fevil.example/",
    "/%5Cevil.example/",
    "\u3002evil.example",
    "/\u2215\u2215evil.example/",
]


def stays_home(response: Any) -> None:
    """A redirect whose Location a browser resolves to this portal (or no redirect at all)."""
    location = response.headers.get("Location")
    if location is None:
        assert response.status_code < 300 or response.status_code >= 400, response.status_code
        return
    assert all(ord(character) >= 32 for character in location), repr(location)
    assert "\\" not in location, location  # browsers read a backslash as a slash
    assert not location.lstrip().startswith("//"), location
    resolved = urlsplit(urljoin(PORTAL, location))
    assert (resolved.scheme, resolved.netloc) == ("http", "localhost"), location


@pytest.fixture(scope="module")
def portal(module_portal: Flask) -> Portal:
    """Ahmed registered once for the module (each test signs in afresh)."""
    portal = Portal(module_portal)
    portal.register(portal.client())
    return portal


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_citizen_sign_in_never_follows_a_foreign_next(portal: Portal, evil: str) -> None:
    browser = portal.client()
    stays_home(browser.get("/account/sign-in", query_string={"next": evil}))
    first = browser.post(
        "/account/sign-in",
        query_string={"next": evil},
        data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": evil},
    )
    assert first.status_code == 303
    stays_home(first)
    done = browser.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    assert done.status_code == 303
    stays_home(done)
    # Already signed in, the sign-in page forwards at once: the same rule applies.
    again = browser.get("/account/sign-in", query_string={"next": evil})
    assert again.status_code == 303
    stays_home(again)


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_the_language_switch_never_follows_a_foreign_next(portal: Portal, evil: str) -> None:
    switched = portal.client().post("/language", data={"language": "en", "next": evil})
    assert switched.status_code == 303
    stays_home(switched)


def test_a_local_next_is_followed(portal: Portal) -> None:
    """The control: the same requests with a path of the portal do go there."""
    switched = portal.client().post("/language", data={"language": "en", "next": "/musaned/offices?q=x"})
    assert switched.headers["Location"] == "/musaned/offices?q=x"
    browser = portal.client()
    browser.post("/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD, "next": "/gosi/"})
    done = browser.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    assert done.headers["Location"] == "/gosi/"


def test_back_office_sign_in_never_follows_a_foreign_next(secure_portal: Callable[..., Flask]) -> None:
    musaned = Musaned(app=secure_portal())
    staff = musaned.staff("redirected")
    for evil in [*EVIL_NEXT, "/account/", "/backoffice/../account/"]:
        forwarded = staff.get("/backoffice/sign-in", query_string={"next": evil})
        assert forwarded.status_code == 303
        stays_home(forwarded)
        assert forwarded.headers["Location"].startswith("/backoffice/")
    fresh = musaned.app.test_client()
    mobile = "+966551239999"
    with musaned.app.test_request_context(), musaned.db() as db:
        create_staff(db, username="nextstaff", full_name="Next Staff", mobile=mobile, password=STAFF_PASSWORD, roles={})
        db.commit()
    first = fresh.post(
        "/backoffice/sign-in", data={"username": "nextstaff", "password": STAFF_PASSWORD, "next": "//evil.example/"}
    )
    assert first.status_code == 303
    done = fresh.post("/backoffice/sign-in/code", data={"code": latest_code(musaned.app, mobile)})
    assert done.status_code == 303
    stays_home(done)
    assert done.headers["Location"] == "/backoffice/"


REGISTERED = "https://rp.example/callback"
UNREGISTERED = [
    "https://evil.example/callback",
    "https://rp.example.evil.example/callback",
    "https://rp.example@evil.example/callback",
    "https://evil.example\\@rp.example/callback",
    "http://rp.example/callback",
    "https://rp.example/callback/../../evil",
    "https://rp.example/callbackx",
    "https://rp.example/callback?next=https://evil.example/",
    "https://rp.example/callback#https://evil.example/",
    "https://rp.example:8443/callback",
    "//evil.example/callback",
    "/callback",
    "javascript:alert(1)//https://rp.example/callback",
    " https://rp.example/callback",
    "https://rp.example/callback\r\nLocation: https://evil.example/",
]


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed in", "signed out"])
def test_oidc_never_redirects_to_an_unregistered_redirect_uri(portal: Portal, signed_in: bool) -> None:
    rp = add_client(portal.app, redirect_uris=[REGISTERED])
    browser = portal.client()
    if signed_in:
        portal.sign_in(browser)
    for uri in UNREGISTERED:
        query = {**authorization_params(rp, new_pkce()), "redirect_uri": uri}
        for answer in (
            browser.get("/oidc/authorize", query_string=query, headers=EN),
            browser.post("/oidc/authorize", data=query, headers=EN),
            browser.post("/oidc/authorize/decision", query_string=query, data={"decision": "allow"}, headers=EN),
        ):
            assert answer.status_code == 400, (uri, answer.status_code, answer.headers.get("Location"))
            assert "Location" not in answer.headers
            assert "This sign-in link cannot be used" in text(answer)


def test_oidc_refuses_an_unknown_client_or_two_redirect_uris_without_redirecting(portal: Portal) -> None:
    rp = add_client(portal.app, redirect_uris=[REGISTERED])
    browser = portal.client()
    portal.sign_in(browser)
    unknown = {**authorization_params(rp, new_pkce()), "client_id": "no-such-client"}
    assert browser.get("/oidc/authorize", query_string=unknown).status_code == 400
    doubled = authorization_params(rp, new_pkce())
    query = "&".join(f"{key}={value}" for key, value in doubled.items() if key != "redirect_uri")
    both = browser.get(f"/oidc/authorize?{query}&redirect_uri={REGISTERED}&redirect_uri=https://evil.example/")
    assert both.status_code == 400 and "Location" not in both.headers


def test_oidc_errors_go_back_only_to_the_registered_address(portal: Portal) -> None:
    """The control: a bad scope with the registered address is reported to the client, at that address."""
    rp = add_client(portal.app, redirect_uris=[REGISTERED])
    browser = portal.client()
    portal.sign_in(browser)
    answer = browser.get("/oidc/authorize", query_string=authorization_params(rp, new_pkce(), scope="openid nope"))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(REGISTERED + "?")
