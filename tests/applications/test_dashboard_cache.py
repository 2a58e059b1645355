"""The dashboard's page cache on the real Redis: reused while nothing changed, never past a change.

Each test builds a portal with ``REDIS_URL`` (sessions and the page cache in
Redis) on its own database; they are skipped with the reason when no Redis
answers (CI has one).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text, update
from werkzeug.test import EnvironBuilder, run_wsgi_app

from bawaba_sdk.applications import IN_REVIEW
from gateway.applications import Application
from gateway.forms.models import Draft
from gateway.pagecache import PAGE_CACHE_EXTENSION, CachedPages, PageCache, PageKey
from gateway.sessions.store import hash_token
from tests.applications.conftest import PROBE, Citizens
from tests.applications.test_applications_pages import apply, ask_for_information
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, RAJESH, Portal
from tests.sample_plugins import entry_points
from tests.sessions.sessions_kit import REDIS_URL, redis_or_skip

EN = {"Accept-Language": "en"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def cached_portal(make_app: Callable[..., Flask], **overrides: object) -> Citizens:
    redis_or_skip()
    app = make_app(
        PLUGINS="musaned,gosi,probe",
        PLUGIN_ENTRY_POINTS=entry_points(musaned="bawaba_musaned.plugin", gosi="bawaba_gosi.plugin", probe=PROBE),
        REDIS_URL=REDIS_URL,
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        **overrides,
    )
    return Citizens(Portal(app))


@pytest.fixture
def citizens(make_app: Callable[..., Flask]) -> Citizens:
    return cached_portal(make_app)


def cache_of(citizens: Citizens) -> PageCache:
    cache = citizens.app.extensions[PAGE_CACHE_EXTENSION]
    assert isinstance(cache, PageCache)
    return cache


def stored_pages(citizens: Citizens) -> list[str]:
    cache = cache_of(citizens)
    return [key.decode() for key in cache.client.scan_iter(match=f"{cache.prefix}:page:*", count=500)]


def dashboard(client: FlaskClient, headers: dict[str, str] | None = None) -> str:
    response = client.get("/applications/", headers=headers or EN)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def state_of(citizens: Citizens, reference: str) -> str:
    with citizens.db() as db:
        return db.scalars(select(Application.state).where(Application.reference == reference)).one()


def test_the_second_view_is_reused_and_a_change_through_the_portal_shows_at_once(citizens: Citizens) -> None:
    client = citizens.ahmed()
    program = citizens.program("probe")
    first = apply(citizens, program, program.services[0], "key-1")
    dashboard(client)
    page = dashboard(client)
    assert first in page
    assert any(":page:dashboard:en:" in key for key in stored_pages(citizens))

    # SQL outside the ORM is not seen: the stored page is what is served (the documented limit).
    with citizens.db() as db:
        db.execute(text("UPDATE people SET first_name_en = 'Zaid' WHERE id_number = :n"), {"n": AHMED["id_number"]})
        db.commit()
    assert dashboard(client) == page
    assert "Zaid" not in page

    # A change through the portal (the back office's moves) is seen on the very next view.
    ask_for_information(citizens, first, "Which branch?")
    assert state_of(citizens, first) == "needs_information"
    changed = dashboard(client)
    assert changed != page
    assert "Zaid" in changed
    assert "needs information" in changed.lower() or "Answer" in changed

    second = apply(citizens, program, program.services[0], "key-2")
    assert second in dashboard(client)


def test_reading_the_notifications_clears_the_unread_badge_at_once(citizens: Citizens) -> None:
    client = citizens.ahmed()
    program = citizens.program("probe")
    apply(citizens, program, program.services[0], "key-1")
    dashboard(client)
    assert "unread" in dashboard(client)
    assert client.post("/notifications/read").status_code in (302, 303)
    assert "unread" not in dashboard(client)  # may carry a message, which is never served from the cache
    assert "unread" not in dashboard(client)


def test_a_person_sees_only_their_own_dashboard(citizens: Citizens) -> None:
    ahmed, rajesh = citizens.ahmed(), citizens.rajesh()
    program = citizens.program("probe")
    own = apply(citizens, program, program.services[0], "key-a")
    theirs = apply(citizens, program, program.services[0], "key-r", id_number=RAJESH["id_number"])
    for _ in range(2):
        ahmed_page, rajesh_page = dashboard(ahmed), dashboard(rajesh)
        assert own in ahmed_page and theirs not in ahmed_page
        assert theirs in rajesh_page and own not in rajesh_page


def test_each_language_has_its_own_page(citizens: Citizens) -> None:
    client = citizens.ahmed()
    for _ in range(2):
        assert '<html lang="en" dir="ltr">' in dashboard(client, EN)
        assert '<html lang="ar" dir="rtl">' in dashboard(client, {"Accept-Language": "ar"})


def test_a_waiting_message_is_shown_once_and_a_query_string_is_rendered(citizens: Citizens) -> None:
    client = citizens.ahmed()
    dashboard(client)
    dashboard(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your answer has been sent.")]
    assert "Your answer has been sent." in dashboard(client)
    assert "Your answer has been sent." not in dashboard(client)
    assert client.get("/applications/?page=2", headers=EN).status_code == 200


def test_two_sessions_of_one_person_each_get_their_own_working_csrf_token(make_app: Callable[..., Flask]) -> None:
    citizens = cached_portal(make_app, WTF_CSRF_ENABLED=True)
    home, phone = citizens.app.test_client(), citizens.app.test_client()
    csrf = TOKEN.search(home.get("/account/register").get_data(as_text=True))
    assert csrf is not None
    register = {**AHMED, "csrf_token": csrf.group(1)}
    assert home.post("/account/register", data=register).status_code == 303
    portal = citizens.portal
    code = {"code": _code(portal, AHMED_MOBILE), "csrf_token": csrf.group(1)}
    assert home.post("/account/register/code", data=code).status_code == 303
    details = {
        "username": "ahmed84",
        "password": GOOD_PASSWORD,
        "password_confirmation": GOOD_PASSWORD,
        "email": "ahmed@example.com",
        "mobile": AHMED_MOBILE.replace("+966", "0"),
        "csrf_token": csrf.group(1),
    }
    done = home.post("/account/register/details", data=details)
    assert done.status_code == 303, done.get_data(as_text=True)[:500]
    _sign_in_with_csrf(portal, phone, details["password"])

    tokens = {}
    for name, client in (("home", home), ("phone", phone)):
        for _ in range(3):
            found = TOKEN.search(dashboard(client))
            assert found is not None
        tokens[name] = found.group(1)
    assert tokens["home"] != tokens["phone"]
    assert home.post("/account/sign-out", data={"csrf_token": tokens["home"]}).status_code == 303
    assert home.get("/applications/").status_code == 303  # signed out: to the sign-in page
    assert phone.post("/account/sign-out", data={"csrf_token": tokens["phone"]}).status_code == 303


def test_without_redis_for_the_cache_the_dashboard_is_rendered(citizens: Citizens) -> None:
    import redis

    client = citizens.ahmed()
    dashboard(client)
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    refused = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
    cache_of(citizens).client = refused
    program = citizens.program("probe")
    reference = apply(citizens, program, program.services[0], "key-1")  # the bump fails: logged, committed
    assert state_of(citizens, reference) == "submitted"
    assert reference in dashboard(client)


def test_a_rolled_back_change_and_a_savepoint_leave_the_versions_alone(citizens: Citizens) -> None:
    cache = cache_of(citizens)
    key = cache.version_key(session_of(citizens.ahmed()))
    with citizens.db() as db:
        person = citizens.person(db)
        before = cache.client.get(key)
        person.email = "other@example.com"
        db.flush()
        db.rollback()
    assert cache.client.get(key) == before
    with citizens.db() as db:
        person = citizens.person(db)
        with db.begin_nested():
            person.email = "again@example.com"
        assert cache.client.get(key) == before  # a savepoint is not the end of the transaction
        db.commit()
    assert int(cache.client.get(key) or 0) == int(before or 0) + 1


def test_bulk_statements_name_their_people_or_make_every_page_stale(citizens: Citizens) -> None:
    cache = cache_of(citizens)
    key = cache.version_key(session_of(citizens.ahmed()))
    epoch = int(cache.client.get(cache.epoch_key) or 0)
    with citizens.db() as db:
        person = citizens.person(db)
        version = int(cache.client.get(key) or 0)
        db.execute(
            update(Application)
            .where(Application.person_id == person.id)
            .values(state=IN_REVIEW)
            .execution_options(changed_people=[person.id])
        )
        db.commit()
        assert int(cache.client.get(key) or 0) == version + 1
        assert int(cache.client.get(cache.epoch_key) or 0) == epoch
        db.execute(update(Draft).values(service="x").execution_options(synchronize_session=False))
        db.commit()
    assert int(cache.client.get(cache.epoch_key) or 0) == epoch + 1


def test_a_page_rendered_while_the_data_changed_is_not_served_afterwards(citizens: Citizens) -> None:
    cache = cache_of(citizens)
    client = citizens.ahmed()
    with citizens.db() as db:
        person_id = citizens.person(db).id
    key = PageKey("probe-page", "en", session_of(client))
    before = cache.lookup(key)
    assert before.body is None
    cache.people_changed([person_id])  # committed while the old data was being rendered
    cache.write(key, before.tag, person_id, b"<p>old</p>")
    assert cache.lookup(key).body is None
    fresh = cache.lookup(key)
    cache.write(key, fresh.tag, person_id, b"<p>new</p>")
    assert cache.lookup(key).body == b"<p>new</p>"
    assert cache.lookup(key).person_id == person_id


def test_the_middleware_answers_a_hit_alone_and_exactly_as_flask_would(citizens: Citizens) -> None:
    client = citizens.ahmed()
    program = citizens.program("probe")
    apply(citizens, program, program.services[0], "key-1")
    dashboard(client)
    page = dashboard(client)
    middleware = citizens.app.wsgi_app
    assert isinstance(middleware, CachedPages)
    environ = EnvironBuilder(path="/applications/", headers={**EN, "Cookie": cookie_header(client)}).get_environ()

    flask_body, flask_status, flask_headers = run_wsgi_app(middleware.wsgi_app, dict(environ), buffered=True)
    inner, middleware.wsgi_app = middleware.wsgi_app, _flask_must_not_run
    try:
        fast_body, fast_status, fast_headers = run_wsgi_app(middleware, dict(environ), buffered=True)
    finally:
        middleware.wsgi_app = inner
    assert fast_status == flask_status == "200 OK"
    assert b"".join(fast_body) == b"".join(flask_body) == page.encode()
    for name in {name for name, _value in flask_headers} | {name for name, _value in fast_headers}:
        if name != "X-Request-ID":
            assert fast_headers.get(name) == flask_headers.get(name), name
    assert re.fullmatch(r"[0-9a-f]{16}", fast_headers["X-Request-ID"])


def test_a_session_due_for_its_idle_refresh_or_expired_goes_through_flask(citizens: Citizens) -> None:
    client = citizens.ahmed()
    dashboard(client)
    dashboard(client)
    store = citizens.app.extensions["gateway.sessions"].store
    token_hash = session_of(client)
    record = store.load(token_hash)
    record.last_seen_at -= timedelta(minutes=2)  # past the one-minute refresh, within the idle timeout
    store.save(record)
    dashboard(client)
    assert store.load(token_hash).last_seen_at > record.last_seen_at  # Flask saved it: the timer restarted
    record = store.load(token_hash)
    record.last_seen_at -= timedelta(hours=1)  # idle too long
    store.save(record)
    answer = client.get("/applications/", headers=EN)
    assert answer.status_code == 303
    assert "/account/sign-in" in answer.headers["Location"]


def _flask_must_not_run(environ: dict[str, object], start_response: object) -> list[bytes]:
    raise AssertionError("a current cached page must be answered without Flask")


def session_of(client: FlaskClient) -> str:
    cookie = client.get_cookie("bawaba_session")
    assert cookie is not None
    return hash_token(cookie.value)


def cookie_header(client: FlaskClient) -> str:
    cookie = client.get_cookie("bawaba_session")
    assert cookie is not None
    return f"bawaba_session={cookie.value}"


def test_two_portals_sharing_a_redis_never_see_each_others_pages(
    citizens: Citizens, make_app: Callable[..., Flask], tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = make_app(REDIS_URL=REDIS_URL, INSTANCE_PATH=str(tmp_path_factory.mktemp("other") / "instance"))
    assert cache_of(citizens).prefix != other.extensions[PAGE_CACHE_EXTENSION].prefix


def _code(portal: Portal, mobile: str) -> str:
    from tests.identity.conftest import latest_code

    return latest_code(portal.app, mobile)


def _sign_in_with_csrf(portal: Portal, client: FlaskClient, password: str) -> None:
    page = client.get("/account/sign-in").get_data(as_text=True)
    csrf = TOKEN.search(page)
    assert csrf is not None
    first = client.post(
        "/account/sign-in",
        data={"identifier": AHMED["id_number"], "password": password, "csrf_token": csrf.group(1)},
    )
    assert first.status_code == 303, first.get_data(as_text=True)[:300]
    second = client.post(
        "/account/sign-in/code", data={"code": _code(portal, AHMED_MOBILE), "csrf_token": csrf.group(1)}
    )
    assert second.status_code == 303, second.get_data(as_text=True)[:300]
