"""Recovery, password change, contact changes confirmed by code, and the person-changed hook."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from gateway.identity.models import Account, Person
from tests.identity.conftest import AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code, messages_to
from tests.sample_plugins import LIBRARY, entry_points
from tests.sample_plugins.library import plugin as library_plugin

NEW_PASSWORD = "a quiet morning in taif"


def test_recovery_sets_a_new_password_ends_sessions_and_notifies(portal: Portal) -> None:
    signed_in = portal.client()
    portal.register(signed_in)
    recovering = portal.client()
    start = recovering.post("/account/recover", data={"id_number": "١٠٠٠٠٠٠٠٠٨"})
    assert start.status_code == 303
    assert (
        recovering.post("/account/recover/code", data={"code": latest_code(portal.app, AHMED_MOBILE)}).status_code
        == 303
    )
    weak = recovering.post(
        "/account/recover/password",
        data={"password": "password1", "password_confirmation": "password1"},
        headers={"Accept-Language": "en"},
    )
    assert weak.status_code == 400
    assert "too common" in weak.get_data(as_text=True)
    done = recovering.post(
        "/account/recover/password", data={"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )
    assert done.status_code == 303
    assert signed_in.get("/account/").status_code == 303, "the old session ended"
    assert _notified(portal.app, AHMED_MOBILE, "تم تغيير كلمة المرور")
    portal.sign_in(portal.client(), password=NEW_PASSWORD)


def test_recovery_says_the_same_for_an_id_without_an_account(portal: Portal) -> None:
    portal.register(portal.client())
    with_account, without_account = portal.client(), portal.client()
    a = with_account.post("/account/recover", data={"id_number": "1000000008"})
    b = without_account.post("/account/recover", data={"id_number": "1000000016"})
    assert a.status_code == b.status_code == 303
    page_a = with_account.get("/account/recover/code").get_data(as_text=True)
    page_b = without_account.get("/account/recover/code").get_data(as_text=True)
    assert _strip_tokens(page_a) == _strip_tokens(page_b)
    wrong_a = with_account.post("/account/recover/code", data={"code": "000000"})
    wrong_b = without_account.post("/account/recover/code", data={"code": "000000"})
    assert wrong_a.status_code == wrong_b.status_code == 400
    assert _strip_tokens(wrong_a.get_data(as_text=True)) == _strip_tokens(wrong_b.get_data(as_text=True))


def _notified(app: Flask, recipient: str, words: str) -> bool:
    """A notification (in the Arabic of the request) reached ``recipient``."""
    return any(m.purpose == "notification" and words in m.body for m in messages_to(app, recipient))


def _strip_tokens(html: str) -> str:
    import re

    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(portal: Portal) -> None:
    mine = portal.client()
    portal.register(mine)
    elsewhere = portal.client()
    portal.sign_in(elsewhere)
    refused = mine.post(
        "/account/password",
        data={"current_password": "not it at all", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 400
    assert "current password is not correct" in refused.get_data(as_text=True)
    personal = mine.post(
        "/account/password",
        data={
            "current_password": GOOD_PASSWORD,
            "password": "ahmed84 forever",
            "password_confirmation": "ahmed84 forever",
        },
        headers={"Accept-Language": "en"},
    )
    assert personal.status_code == 400
    assert "your username" in personal.get_data(as_text=True)
    changed = mine.post(
        "/account/password",
        data={"current_password": GOOD_PASSWORD, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert changed.status_code == 303
    assert mine.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 303
    assert _notified(portal.app, AHMED_MOBILE, "تم تغيير كلمة المرور")


def test_passwords_over_the_limit_are_refused_without_hashing(portal: Portal) -> None:
    client = portal.client()
    portal.register(client)
    huge = "x" * 5000
    response = client.post(
        "/account/password",
        data={"current_password": GOOD_PASSWORD, "password": huge, "password_confirmation": huge},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "at most 256" in response.get_data(as_text=True)


def test_a_new_mobile_is_confirmed_by_a_code_and_every_program_is_told(make_app: Callable[..., Flask]) -> None:
    app = make_app(
        PLUGINS="library,gosi",
        PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY, gosi="bawaba_gosi.plugin"),
        RATE_LIMIT_CODES="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
    )
    portal = Portal(app)
    client = portal.client()
    portal.register(client)
    library_plugin.PEOPLE_CHANGES.clear()
    start = client.post("/account/contact/mobile", data={"value": "0551112233"})
    assert start.status_code == 303
    with app.extensions["gateway"].database.session_factory() as db:
        assert db.scalars(select(Person)).one().mobile == AHMED_MOBILE, "not changed before the code"
    wrong = client.post("/account/contact/code", data={"code": "000000"})
    assert wrong.status_code == 400
    done = client.post("/account/contact/code", data={"code": latest_code(app, "+966551112233")})
    assert done.status_code == 303
    with app.extensions["gateway"].database.session_factory() as db:
        person = db.scalars(select(Person)).one()
        assert person.mobile == "+966551112233"
    assert [changed for _subject, changed in library_plugin.PEOPLE_CHANGES] == [frozenset({"mobile"})]
    assert _notified(app, AHMED_MOBILE, "تم تغيير رقم الجوال")
    portal.sign_in(portal.client(), mobile="+966551112233")


def test_a_landline_is_refused_as_a_new_mobile(portal: Portal) -> None:
    client = portal.client()
    portal.register(client)
    response = client.post("/account/contact/mobile", data={"value": "0114567890"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "landline" in response.get_data(as_text=True)


def test_email_is_confirmed_then_codes_can_go_by_email(portal: Portal) -> None:
    client = portal.client()
    portal.register(client)
    client.post("/account/contact/email", data={"value": "Ahmed.New@Example.COM"})
    assert (
        client.post(
            "/account/contact/code", data={"code": latest_code(portal.app, "Ahmed.New@example.com")}
        ).status_code
        == 303
    )
    assert client.post("/account/code-channel", data={"channel": "email"}).status_code == 303
    client.post("/account/sign-out")
    other = portal.client()
    other.post("/account/sign-in", data={"identifier": "ahmed84", "password": GOOD_PASSWORD})
    done = other.post("/account/sign-in/code", data={"code": latest_code(portal.app, "Ahmed.New@example.com")})
    assert done.status_code == 303
    with portal.app.extensions["gateway"].database.session_factory() as db:
        account = db.scalars(select(Account)).one()
        assert account.email_verified
        assert account.code_channel == "email"


def test_profile_requires_sign_in_and_shows_the_shared_identity(portal: Portal) -> None:
    anonymous = portal.client()
    redirected = anonymous.get("/account/")
    assert redirected.status_code == 303
    assert "/account/sign-in?next=/account/" in redirected.headers["Location"]
    client = portal.client()
    portal.register(client)
    page = client.get("/account/").get_data(as_text=True)
    assert "أحمد الزهراني" in page
    assert "13 جمادى الآخرة 1404\u00a0هـ" in page  # the Hijri birth date written out


def test_a_plugin_view_guarded_by_the_sdk_needs_sign_in_and_sees_the_person_read_only(
    make_app: Callable[..., Flask],
) -> None:
    import dataclasses

    import pytest

    from bawaba_sdk import current_person

    app = make_app(
        PLUGINS="library",
        PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY),
        RATE_LIMIT_CODES="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
    )
    portal = Portal(app)
    anonymous = portal.client()
    redirected = anonymous.get("/library/mine")
    assert redirected.status_code == 302
    assert redirected.headers["Location"] == "/account/sign-in?next=/library/mine"
    client = portal.client()
    portal.register(client)
    page = client.get("/library/mine").get_data(as_text=True)
    assert page.startswith("Loans of Ahmed Al-Zahrani (")
    assert "1000000008" not in page
    with app.test_request_context():
        assert current_person() is None
    person_view = _view_of_first_person(app)
    with pytest.raises(dataclasses.FrozenInstanceError):
        person_view.mobile = "+966500000000"  # type: ignore[misc]


def _view_of_first_person(app: Flask):  # type: ignore[no-untyped-def]
    from gateway.identity.people import as_view

    with app.extensions["gateway"].database.session_factory() as db:
        return as_view(db.scalars(select(Person)).one())
