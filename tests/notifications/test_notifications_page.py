"""The notifications page: the person's own list, in their language, and "mark all as read"."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.applications import Application, transition
from gateway.notifications import unread_count
from gateway.notifications.views import unread_for_current_person
from tests.forms.conftest import arabic, english, page
from tests.identity.conftest import Portal
from tests.notifications.conftest import notifications, register_rajesh, submit


def _to_review(portal: Portal, reference: str) -> None:
    app = portal.app
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        transition(db, application, "fee_paid", actor="system", actor_kind="system")
        transition(db, application, "in_review", actor="staff:1", actor_kind="staff")
        db.commit()


def test_the_list_shows_the_persons_own_notifications_in_their_language(
    ahmed: FlaskClient, forms_portal: Portal
) -> None:
    rajesh = register_rajesh(forms_portal)
    reference = submit(ahmed)
    rajesh_reference = submit(rajesh)
    _to_review(forms_portal, reference)

    in_english = page(english(ahmed).get("/notifications/"))
    assert f"Your application {reference} for Fishing licence (Permits) is now: In review." in in_english
    assert f"Your application {reference} for Fishing licence (Permits) was received." in in_english
    assert in_english.index("In review") < in_english.index("was received")  # newest first
    assert f'href="/applications/{reference}"' in in_english
    assert rajesh_reference not in in_english
    assert "Mark all as read" in in_english

    in_arabic = page(arabic(ahmed).get("/notifications/"))
    assert f"حالة طلبك {reference}" in in_arabic and "قيد الدراسة" in in_arabic
    assert "Your application" not in in_arabic
    assert rajesh_reference not in in_arabic

    theirs = page(english(rajesh).get("/notifications/"))
    assert rajesh_reference in theirs and reference not in theirs


def test_marking_all_as_read(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    reference = submit(ahmed)
    _to_review(forms_portal, reference)
    person_id = notifications(app)[0].person_id
    with app.app_context():
        assert unread_count(app.extensions["gateway"].db_session(), person_id) == 3
    with app.test_request_context():
        assert unread_for_current_person() == 0  # nobody signed in on this request

    done = english(ahmed).post("/notifications/read")
    assert done.status_code == 303 and done.headers["Location"].endswith("/notifications/")
    assert "All your notifications are marked as read." in page(ahmed.get(done.headers["Location"]))
    assert all(item.read_at is not None for item in notifications(app))
    with app.app_context():
        assert unread_count(app.extensions["gateway"].db_session(), person_id) == 0
    listing = page(ahmed.get("/notifications/"))
    assert "Mark all as read" not in listing and reference in listing


def test_marking_as_read_needs_the_csrf_token_and_a_signed_in_person(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    submit(ahmed)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert ahmed.post("/notifications/read").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert notifications(app)[0].read_at is None

    visitor = forms_portal.client()
    assert visitor.get("/notifications/").status_code == 303
    refused = visitor.post("/notifications/read")
    assert refused.status_code == 303 and "/account/sign-in" in refused.headers["Location"]
    assert notifications(app)[0].read_at is None


def test_one_person_cannot_mark_anothers_notifications(ahmed: FlaskClient, forms_portal: Portal) -> None:
    rajesh = register_rajesh(forms_portal)
    submit(ahmed)
    assert rajesh.post("/notifications/read").status_code == 303
    assert [item.read_at for item in notifications(forms_portal.app)] == [None]


def test_an_empty_list_says_so(ahmed: FlaskClient) -> None:
    assert "You have no notifications yet." in page(english(ahmed).get("/notifications/"))
