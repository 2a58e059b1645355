"""Session fixation, and replaying a cookie after signing out (or after the password changed elsewhere).

An attacker who plants a session cookie in the victim's browser before the
victim signs in (fixation), or who copied the cookie of a session that was
since signed out, must hold a worthless value: signing in issues a new
identifier and deletes the old record, signing out deletes the record, and
a cookie the server never issued is never adopted. Each test replays the
stolen value from a second, clean client, as the attacker would.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.backoffice.models import StaffAccount
from gateway.pagecache import PAGE_CACHE_EXTENSION
from tests.identity.conftest import AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.musaned.conftest import Musaned
from tests.security.portal import EN, admin_client
from tests.sessions.sessions_kit import REDIS_URL, redis_or_skip

COOKIE = "bawaba_session"
PLANTED = "attacker-chosen-session-value-0123456789"


@pytest.fixture(params=["database", "redis"])
def portal(request: pytest.FixtureRequest, secure_portal: Callable[..., Flask]) -> Portal:
    """Sessions in the database, and in Redis with the page cache answering the dashboard before Flask."""
    if request.param == "redis":
        redis_or_skip()
        app = secure_portal(REDIS_URL=REDIS_URL)
        assert PAGE_CACHE_EXTENSION in app.extensions
        return Portal(app)
    return Portal(secure_portal())


def cookie_of(client: FlaskClient) -> str | None:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie is not None else None


def replay(app: Flask, value: str) -> FlaskClient:
    """A clean client (the attacker's browser) carrying only ``value`` as its session cookie."""
    attacker = app.test_client()
    attacker.set_cookie(COOKIE, value)
    return attacker


def signed_in(client: FlaskClient) -> bool:
    """Whether the profile opens (a signed-out visitor is sent to the sign-in page)."""
    return client.get("/account/", headers=EN).status_code == 200


def test_signing_in_replaces_the_session_identifier_seen_before_it(portal: Portal) -> None:
    victim = portal.client()
    portal.register(victim)
    assert victim.post("/account/sign-out").status_code == 303

    first = victim.post("/account/sign-in", data={"identifier": "1000000008", "password": GOOD_PASSWORD})
    assert first.status_code == 303
    before = cookie_of(victim)
    assert before is not None  # the half-done sign-in lives in a session already
    second = victim.post("/account/sign-in/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    assert second.status_code == 303
    after = cookie_of(victim)

    assert after is not None and after != before
    assert signed_in(victim)
    assert not signed_in(replay(portal.app, before))


def test_a_planted_session_cookie_is_never_adopted(portal: Portal) -> None:
    victim = portal.client()
    portal.register(victim)
    victim.post("/account/sign-out")
    victim.set_cookie(COOKIE, PLANTED)

    portal.sign_in(victim)

    assert cookie_of(victim) != PLANTED
    assert signed_in(victim)
    assert not signed_in(replay(portal.app, PLANTED))


def test_a_signed_out_cookie_replayed_is_not_signed_in(portal: Portal) -> None:
    victim = portal.client()
    portal.register(victim)
    stolen = cookie_of(victim)
    assert stolen is not None and signed_in(replay(portal.app, stolen))  # the copy works while signed in
    for _ in range(3):  # with Redis, the dashboard is now a cached page answered before Flask
        assert replay(portal.app, stolen).get("/applications/", headers=EN).status_code == 200

    signed_out = victim.post("/account/sign-out")
    assert signed_out.status_code == 303
    assert not signed_in(victim)

    attacker = replay(portal.app, stolen)
    assert not signed_in(attacker)
    assert attacker.get("/applications/", headers=EN).status_code in (302, 303)
    assert attacker.get("/notifications/", headers=EN).status_code in (302, 303)


def test_changing_the_password_ends_every_other_session(portal: Portal) -> None:
    victim = portal.client()
    portal.register(victim)
    stolen = cookie_of(victim)
    assert stolen is not None
    for _ in range(3):
        assert victim.get("/applications/", headers=EN).status_code == 200

    other_device = portal.client()
    portal.sign_in(other_device)
    new_password = "a brand new harbour lantern 77"
    changed = other_device.post(
        "/account/password",
        data={"current_password": GOOD_PASSWORD, "password": new_password, "password_confirmation": new_password},
    )
    assert changed.status_code == 303

    assert signed_in(other_device)
    assert not signed_in(replay(portal.app, stolen))
    assert replay(portal.app, stolen).get("/applications/", headers=EN).status_code in (302, 303)


def test_staff_sign_in_rotates_and_sign_out_ends_the_session(secure_portal: Callable[..., Flask]) -> None:
    musaned = Musaned(app=secure_portal())
    planted = musaned.app.test_client()
    planted.set_cookie(COOKIE, PLANTED)
    staff = musaned.staff("rotated")
    live = cookie_of(staff)
    assert live is not None and live != PLANTED
    assert replay(musaned.app, PLANTED).get("/backoffice/", headers=EN).status_code == 303

    assert replay(musaned.app, live).get("/backoffice/", headers=EN).status_code == 200
    assert staff.post("/backoffice/sign-out").status_code == 303
    replayed = replay(musaned.app, live).get("/backoffice/", headers=EN)
    assert replayed.status_code == 303
    assert replayed.headers["Location"].startswith("/backoffice/sign-in")


def test_a_deactivated_staff_members_session_stops_working_at_once(secure_portal: Callable[..., Flask]) -> None:
    musaned = Musaned(app=secure_portal())
    staff = musaned.staff("leaving")
    stolen = cookie_of(staff)
    assert stolen is not None
    admin = admin_client(musaned.app, "deactivator", "+966551230003")
    with musaned.db() as db:
        staff_id = db.scalars(select(StaffAccount.id).where(StaffAccount.username == "leaving")).one()
    assert admin.post(f"/backoffice/admin/staff/{staff_id}/deactivate").status_code == 303
    for client in (staff, replay(musaned.app, stolen)):
        answer = client.get("/backoffice/musaned/queue", headers=EN)
        assert answer.status_code == 303
        assert answer.headers["Location"].startswith("/backoffice/sign-in")


def test_the_session_cookie_is_httponly_samesite_and_secure_in_production(
    secure_portal: Callable[..., Flask],
) -> None:
    app = secure_portal(ENV="production", SECRET_KEY="x" * 48, PLUGINS="", STAGING=True, RATE_LIMITS_IN_PROCESS=True)
    answer = app.test_client().post("/account/sign-in", data={"identifier": "1000000008", "password": "wrong one"})
    header = next(value for value in answer.headers.getlist("Set-Cookie") if value.startswith(COOKIE + "="))
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"httponly", "secure", "samesite"} <= attributes
    assert "SameSite=Lax" in header or "SameSite=Strict" in header
