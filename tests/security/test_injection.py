"""Script, template and SQL metacharacters, and U+202E, in every text field a person types that is shown back.

Each field gets the payloads of ``injection.py``: a script tag, an attribute
break-out, template expressions of four engines, an SQL quote-and-comment,
and the right-to-left override. Every page that shows the value back (to the
person, to staff, in lists and on detail pages) must answer without a 500,
show it as text, never evaluate it, and keep any U+202E inside a ``<bdi>``;
and what is stored is what was typed (bidi controls aside, which the portal
strips from typed text on purpose), while the SQL payload leaves every table
as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from gateway.applications.models import Application, ApplicationEvent
from gateway.backoffice.models import StaffAccount
from tests.identity.conftest import AHMED
from tests.security.injection import (
    ATTRIBUTE,
    EVERYTHING,
    OVERRIDE,
    SCRIPT,
    SHORT,
    SQL,
    TEMPLATE,
    shown_safely,
    shows,
    without_bidi_controls,
)
from tests.security.portal import EN, World, admin_client, open_ticket, request_visa, text


def safe(response: Any, typed: str, *, must_show: bool = True) -> str:
    """The page, after checking it shows ``typed`` safely (and shows it at all, unless told otherwise)."""
    html = text(response)
    assert response.status_code < 500, (response.status_code, html[:500])
    problems = shown_safely(html, typed)
    assert not problems, problems
    if must_show:
        assert shows(html, typed), f"the page does not show {typed!r} as text"
    return html


def stored(world: World, reference: str) -> Application:
    return world.application(reference)


@pytest.fixture(scope="module")
def hostile(world: World) -> dict[str, str]:
    """Applications whose typed answers are the payloads: a ticket and a visa request (city)."""
    counts_before = _row_counts(world)
    ticket = open_ticket(world.musaned, world.ahmed.client, f"Help {SCRIPT} {SQL}"[:150], EVERYTHING)
    visa = request_visa(world.musaned, world.ahmed.client, city=SHORT)
    return {"ticket": ticket, "visa": visa, **{f"count:{k}": str(v) for k, v in counts_before.items()}}


def _row_counts(world: World) -> dict[str, int]:
    with world.db() as db:
        return {
            "applications": int(db.scalar(select(func.count(Application.id))) or 0),
            "events": int(db.scalar(select(func.count(ApplicationEvent.id))) or 0),
        }


def test_form_answers_are_stored_as_typed_and_the_sql_changed_nothing(world: World, hostile: dict[str, str]) -> None:
    ticket = stored(world, hostile["ticket"])
    assert ticket.answers["ticket"]["message"] == without_bidi_controls(EVERYTHING)
    assert ticket.answers["ticket"]["subject"] == f"Help {SCRIPT} {SQL}"[:150]
    city = stored(world, hostile["visa"]).answers["household"]["city"]
    assert without_bidi_controls(city) == without_bidi_controls(SHORT)
    counts = _row_counts(world)
    assert counts["applications"] == int(hostile["count:applications"]) + 2  # the two new ones, nothing dropped


PERSON_PAGES = [
    ("/applications/{ticket}", EVERYTHING, True),
    ("/applications/{visa}", SHORT, True),
    ("/applications/", EVERYTHING, False),
    ("/musaned/tickets", f"Help {SCRIPT} {SQL}", True),
    ("/musaned/requests", SHORT, False),
]


@pytest.mark.parametrize(("path", "typed", "listed"), PERSON_PAGES)
def test_the_persons_pages_show_the_answers_as_text(
    world: World, hostile: dict[str, str], path: str, typed: str, listed: bool
) -> None:
    """Detail pages show every answer; lists show the ticket's subject (or nothing typed at all)."""
    safe(world.ahmed.client.get(path.format(**hostile), headers=EN), typed, must_show=listed)


@pytest.mark.parametrize("key", ["ticket", "visa"])
def test_staff_pages_show_the_answers_as_text(world: World, hostile: dict[str, str], key: str) -> None:
    typed = EVERYTHING if key == "ticket" else SHORT
    safe(world.reviewer.get(f"/backoffice/musaned/applications/{hostile[key]}", headers=EN), typed)
    safe(world.reviewer.get("/backoffice/musaned/queue", headers=EN), typed, must_show=False)


def test_the_check_page_shows_the_answers_as_text(world: World) -> None:
    client = world.noura.client
    base = "/apply/musaned/support_tickets/"
    client.get(base)
    saved = client.post(
        base + "ticket",
        data={"category": "other", "related_reference": "", "subject": "Subject " + SCRIPT, "message": EVERYTHING},
    )
    assert saved.status_code == 303, text(saved)
    safe(client.get(base + "check", headers=EN), EVERYTHING)


def test_a_refused_step_shows_what_was_typed_as_text(world: World) -> None:
    """A too-short subject is refused; the page keeps what the person typed, escaped."""
    refused = world.noura.client.post(
        "/apply/musaned/support_tickets/ticket",
        data={"category": "other", "subject": "<s>", "message": EVERYTHING},
        headers=EN,
    )
    assert refused.status_code in (400, 422)
    safe(refused, EVERYTHING)


def test_replies_and_staff_comments_are_shown_as_text_to_both_sides(world: World, hostile: dict[str, str]) -> None:
    reference = hostile["ticket"]
    staff_reply = world.musaned.move(world.reviewer, reference, "answered", comment="Staff: " + EVERYTHING)
    assert staff_reply.status_code == 303, text(staff_reply)
    citizen_reply = world.ahmed.client.post(
        f"/applications/{reference}/move", data={"target": "replied", "comment": "Me: " + EVERYTHING}, headers=EN
    )
    assert citizen_reply.status_code == 303, text(citizen_reply)
    for client, path in (
        (world.ahmed.client, f"/applications/{reference}"),
        (world.reviewer, f"/backoffice/musaned/applications/{reference}"),
    ):
        html = safe(client.get(path, headers=EN), EVERYTHING)
        assert html.count(str(_escaped(without_bidi_controls(EVERYTHING)))) >= 2  # the message and both replies
    with world.db() as db:
        comments = db.scalars(
            select(ApplicationEvent.comment).where(ApplicationEvent.comment.is_not(None)).order_by(ApplicationEvent.id)
        ).all()
    assert any(comment and comment.endswith(without_bidi_controls(EVERYTHING)) for comment in comments)


def _escaped(value: str) -> str:
    return str(escape(value))


def test_withdrawal_reason_is_shown_as_text(world: World) -> None:
    reference = request_visa(world.musaned, world.noura.client, nationality="KE")
    withdrawn = world.noura.client.post(f"/applications/{reference}/withdraw", data={"reason": EVERYTHING}, headers=EN)
    assert withdrawn.status_code == 303, text(withdrawn)
    safe(world.noura.client.get(f"/applications/{reference}", headers=EN), EVERYTHING)
    safe(world.reviewer.get(f"/backoffice/musaned/applications/{reference}", headers=EN), EVERYTHING)


SEARCHES = [
    ("/musaned/offices", "q"),
    ("/musaned/offices", "city"),
    ("/musaned/offices", "min_rating"),
    ("/applications/lookup", "reference"),
    ("/musaned/inquiry", "reference"),
    ("/musaned/inquiry", "id_number"),
]


@pytest.mark.parametrize(("path", "name"), SEARCHES)
@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE, TEMPLATE, SQL, OVERRIDE])
def test_search_boxes_answer_with_a_message_and_the_query_as_text(
    world: World, path: str, name: str, payload: str
) -> None:
    answer = world.ahmed.client.get(path, query_string={name: payload}, headers=EN)
    assert answer.status_code in (200, 400, 404), answer.status_code
    safe(answer, payload, must_show=False)


@pytest.mark.parametrize("name", ["reference", "state", "date_from", "page"])
def test_the_back_office_queue_filters_answer_with_the_query_as_text(world: World, name: str) -> None:
    answer = world.reviewer.get("/backoffice/musaned/queue", query_string={name: EVERYTHING}, headers=EN)
    assert answer.status_code in (200, 400), answer.status_code
    safe(answer, EVERYTHING, must_show=False)


def test_the_offices_directory_search_matches_nothing_and_drops_no_table(world: World) -> None:
    for payload in (SQL, "%", "_", "' OR 1=1 --", "\\"):
        answer = world.ahmed.client.get("/musaned/offices", query_string={"q": payload}, headers=EN)
        assert answer.status_code == 200, (payload, answer.status_code)
        assert "ML-1001" not in text(answer) or payload in ("%", "_")
    assert world.ahmed.client.get("/musaned/offices", headers=EN).status_code == 200
    assert "ML-1001" in text(world.ahmed.client.get("/musaned/offices", query_string={"q": "Palm"}, headers=EN))


def registration_attempt(client: FlaskClient, **fields: str) -> Any:
    return client.post("/account/register", data={**AHMED, **fields}, headers=EN)


@pytest.mark.parametrize("field", ["first_name", "family_name", "id_number", "birth_date"])
def test_registration_fields_are_shown_back_as_text(world: World, field: str) -> None:
    answer = registration_attempt(world.app.test_client(), **{field: EVERYTHING})
    assert answer.status_code == 400
    safe(answer, EVERYTHING, must_show=field in ("first_name", "family_name"))


@pytest.mark.parametrize("field", ["identifier"])
def test_the_sign_in_identifier_is_shown_back_as_text(world: World, field: str) -> None:
    answer = world.app.test_client().post(
        "/account/sign-in", data={field: SHORT, "password": "whatever it is"}, headers=EN
    )
    assert answer.status_code == 401
    safe(answer, SHORT, must_show=False)


def test_profile_contact_fields_are_refused_with_a_message_and_shown_as_text(world: World) -> None:
    for field in ("email", "mobile"):
        answer = world.noura.client.post(f"/account/contact/{field}", data={"value": SHORT}, headers=EN)
        assert answer.status_code == 400, (field, answer.status_code)
        safe(answer, SHORT, must_show=False)


def test_a_staff_name_typed_by_an_administrator_is_shown_as_text_everywhere(world: World) -> None:
    admin = admin_client(world.app, "adminsec", "+966551230001")
    name = f"Mr {SCRIPT} {TEMPLATE} {OVERRIDE}"
    created = admin.post(
        "/backoffice/admin/staff/new",
        data={
            "username": "named1",
            "full_name": name,
            "mobile": "0551230002",
            "password": "a long enough staff password 2026",
            "role-musaned": "reviewer",
        },
        headers=EN,
    )
    assert created.status_code == 303, text(created)
    safe(admin.get("/backoffice/admin/staff", headers=EN), name)
    # A supervisor picks the assignee from the program's staff, by name.
    safe(admin.get(f"/backoffice/musaned/applications/{world.noura.visa_request}", headers=EN), name)
    with world.db() as db:
        kept = db.scalars(select(StaffAccount.full_name).where(StaffAccount.username == "named1")).one()
    assert without_bidi_controls(kept) == without_bidi_controls(name)
