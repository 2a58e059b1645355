"""Musaned support tickets, end to end through the real pages.

A ticket is opened with the host's form (``/apply/musaned/support_tickets/``),
listed on ``/musaned/tickets``, answered by staff in the back office and
replied to or closed by the person on the host's application page; the
replies are the comments of the moves, which both sides read in the history.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from musaned_portal import Musaned, text

AHMED = "1000000008"
KHALID = "1000000016"
RAJESH = "2000000006"

FORM = "/apply/musaned/support_tickets/"
LIST = "/musaned/tickets"
GOOD_TICKET: dict[str, str] = {
    "category": "payment",
    "subject": "Visa fee paid twice",
    "message": "I paid the bill for my visa request twice. Please refund one payment.",
}


def ticket(**changes: str) -> dict[str, dict[str, str]]:
    return {"ticket": {**GOOD_TICKET, **changes}}


def english(client: FlaskClient, url: str) -> Any:
    return client.get(url, headers={"Accept-Language": "en"})


def post_step(client: FlaskClient, data: dict[str, str], language: str = "en") -> Any:
    """Post the ticket's one step as the browser does (after the form was started)."""
    started = client.get(FORM)
    assert started.status_code == 303, text(started)
    return client.post(FORM + "ticket", data=data, headers={"Accept-Language": language})


def citizen_move(client: FlaskClient, reference: str, target: str, comment: str = "") -> Any:
    """The person's button on the host's application page (a reply carries its text as the comment)."""
    return client.post(
        f"/applications/{reference}/move",
        data={"target": target, "comment": comment},
        headers={"Accept-Language": "en"},
    )


def field_error(page: str, name: str) -> str:
    """The error shown next to the field ``name`` (empty when there is none)."""
    match = re.search(rf'id="{re.escape(name)}-error"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


# -- opening and listing -------------------------------------------------------------------


def test_an_opened_ticket_is_listed_for_the_person_and_in_the_staff_queue(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "support_tickets", ticket())

    assert reference.startswith("MST-")
    application = musaned.application(reference)
    assert application.state == "submitted"
    assert application.answers["ticket"] == {
        "category": "payment",
        "related_reference": None,
        "subject": "Visa fee paid twice",
        "message": "I paid the bill for my visa request twice. Please refund one payment.",
    }
    page = english(ahmed, LIST)
    assert page.status_code == 200
    listed = text(page)
    assert "Visa fee paid twice" in listed
    assert "Payment" in listed
    assert "Open — waiting for the support team" in listed
    assert f'href="/applications/{reference}"' in listed
    assert f'href="{FORM}"' in listed
    assert "AH" in listed  # the Hijri date beside the Gregorian one

    staff = musaned.staff("support")
    queue = english(staff, "/backoffice/musaned/queue")
    assert queue.status_code == 200
    assert reference in text(queue)


def test_no_fee_is_billed_for_a_ticket(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "support_tickets", ticket())

    page = text(english(ahmed, f"/applications/{reference}"))
    assert "Fees" not in page


def test_a_person_with_unpaid_violations_can_still_open_a_ticket(musaned: Musaned) -> None:
    khalid = musaned.citizen(KHALID)

    form = english(khalid, FORM + "ticket")
    assert form.status_code == 200, text(form)
    reference = musaned.submit(khalid, "support_tickets", ticket(category="account", subject="Why am I blocked?"))

    assert musaned.application(reference).state == "submitted"
    assert "Why am I blocked?" in text(english(khalid, LIST))


def test_the_list_is_empty_for_someone_without_tickets(musaned: Musaned) -> None:
    page = english(musaned.citizen(RAJESH), LIST)

    assert page.status_code == 200
    assert "You have not opened any support ticket yet." in text(page)
    assert "<table" not in text(page)


def test_the_list_needs_sign_in(musaned: Musaned) -> None:
    response = musaned.app.test_client().get(LIST)

    assert response.status_code in (302, 303)
    assert "/account/sign-in" in response.headers["Location"]


def test_each_person_sees_only_their_own_tickets(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    rajesh = musaned.citizen(RAJESH)
    reference = musaned.submit(ahmed, "support_tickets", ticket(subject="Ahmed's private question"))
    musaned.submit(rajesh, "support_tickets", ticket(subject="Rajesh's own question"))

    listed = text(english(rajesh, LIST))
    assert "Rajesh" in listed and "Ahmed" not in listed
    assert reference not in listed
    assert english(rajesh, f"/applications/{reference}").status_code == 404
    moved = citizen_move(rajesh, reference, "closed")
    assert moved.status_code == 404
    assert musaned.application(reference).state == "submitted"


# -- the conversation ----------------------------------------------------------------------


def test_staff_and_person_take_turns_replying_then_the_person_closes(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "support_tickets", ticket())
    staff = musaned.staff("support")

    back_office = text(english(staff, f"/backoffice/musaned/applications/{reference}"))
    assert "Reply" in back_office and "Close" in back_office
    refused = musaned.move(staff, reference, "answered", "")
    assert refused.status_code == 400, text(refused)
    assert field_error(text(refused), "comment")  # the reason, next to the comment box
    assert musaned.application(reference).state == "submitted"

    answered = musaned.move(staff, reference, "answered", "We have found the second payment; it will be refunded.")
    assert answered.status_code == 303, text(answered)
    page = text(english(ahmed, f"/applications/{reference}"))
    assert "We have found the second payment; it will be refunded." in page
    assert "Answered — waiting for you" in page
    assert 'name="target" value="replied"' in page  # the person's "Reply" button, with its comment box
    assert "Answered — waiting for you" in text(english(ahmed, LIST))

    silent = citizen_move(ahmed, reference, "replied", "   ")
    assert silent.status_code == 400, text(silent)
    assert "Write a few words" in field_error(text(silent), "comment-replied")
    replied = citizen_move(ahmed, reference, "replied", "Thank you. When will the money reach my account?")
    assert replied.status_code == 303, text(replied)
    assert musaned.application(reference).state == "replied"
    assert "Replied — waiting for the support team" in text(english(ahmed, LIST))
    assert "When will the money reach my account?" in text(
        english(staff, f"/backoffice/musaned/applications/{reference}")
    )

    again = musaned.move(staff, reference, "answered", "Within five working days.")
    assert again.status_code == 303, text(again)
    assert "Within five working days." in text(english(ahmed, f"/applications/{reference}"))

    closed = citizen_move(ahmed, reference, "closed")
    assert closed.status_code == 303, text(closed)
    assert musaned.application(reference).state == "closed"
    assert "Closed" in text(english(ahmed, LIST))


def test_a_closed_ticket_refuses_any_further_move(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "support_tickets", ticket())
    staff = musaned.staff("support")
    assert musaned.move(staff, reference, "closed", "").status_code == 303

    for target in ("replied", "closed", "answered"):
        response = citizen_move(ahmed, reference, target, "One more thing about my payment.")
        assert response.status_code in (400, 409), (target, response.status_code)
    for target in ("answered", "closed", "submitted"):
        response = musaned.move(staff, reference, target, "Reopening.")
        assert response.status_code in (400, 409), (target, response.status_code)
    assert musaned.application(reference).state == "closed"


def test_the_person_cannot_make_the_staff_reply_nor_reply_before_staff(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "support_tickets", ticket())

    for target in ("answered", "replied", "in_review", "no_such_state"):
        response = citizen_move(ahmed, reference, target, "Let me answer myself.")
        assert response.status_code in (400, 409), (target, response.status_code)
    assert musaned.application(reference).state == "submitted"


def test_staff_may_close_without_a_comment_and_the_person_may_close_an_open_ticket(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    first = musaned.submit(ahmed, "support_tickets", ticket(subject="First question"))
    second = musaned.submit(ahmed, "support_tickets", ticket(subject="Second question"))
    staff = musaned.staff("support")

    assert musaned.move(staff, first, "closed").status_code == 303
    assert citizen_move(ahmed, second, "closed").status_code == 303
    assert musaned.application(first).state == "closed"
    assert musaned.application(second).state == "closed"


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"subject": "Help"}, "subject", "Enter from 5 to 150 characters."),
        ({"subject": "x" * 151}, "subject", "Enter from 5 to 150 characters."),
        ({"subject": ""}, "subject", "Enter a value for “Subject”."),
        ({"category": "lottery"}, "category", "Choose one of the options offered."),
        ({"category": ""}, "category", "Choose an option for “What is your ticket about?”."),
        ({"message": "Help me"}, "message", "Enter from 10 to 2000 characters."),
        ({"message": "x" * 2001}, "message", "Enter at most 2000 characters."),
        ({"message": "x" * 5000}, "message", "Enter at most 2000 characters."),
        ({"related_reference": "my visa"}, "related_reference", "Enter a reference number like MSV-7KQ2X9PB"),
        ({"related_reference": "MSV-" + "7" * 60}, "related_reference", "Enter a reference number like MSV-7KQ2X9PB"),
    ],
)
def test_bad_answers_are_refused_with_a_message(
    musaned: Musaned, changes: dict[str, str], field: str, message: str
) -> None:
    ahmed = musaned.citizen(AHMED)

    response = post_step(ahmed, {**GOOD_TICKET, **changes})

    assert response.status_code == 400, text(response)
    assert message in field_error(text(response), field), field_error(text(response), field)


def test_bad_answers_are_explained_in_arabic_too(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)

    response = post_step(ahmed, {**GOOD_TICKET, "related_reference": "my visa"}, language="ar")

    assert response.status_code == 400
    assert "أدخل رقمًا مرجعيًا" in field_error(text(response), "related_reference")


def test_a_reference_that_is_not_the_persons_reads_exactly_like_an_unknown_one(musaned: Musaned) -> None:
    rajesh = musaned.citizen(RAJESH)
    theirs = musaned.submit(rajesh, "support_tickets", ticket(subject="Rajesh's ticket"))
    ahmed = musaned.citizen(AHMED)
    unknown = "MST-" + ("22222222" if theirs[4:] != "22222222" else "33333333")

    someone_elses = post_step(ahmed, {**GOOD_TICKET, "related_reference": theirs})
    nobodys = post_step(ahmed, {**GOOD_TICKET, "related_reference": unknown})

    assert someone_elses.status_code == nobodys.status_code == 400
    message = field_error(text(someone_elses), "related_reference")
    assert message == field_error(text(nobodys), "related_reference")
    assert "None of your Musaned requests has this reference number" in message


def test_the_persons_own_reference_is_accepted_as_typed_and_stored_canonical(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    first = musaned.submit(ahmed, "support_tickets", ticket(subject="First question"))
    typed = " " + first.lower().replace("-", " - ") + "\u200f "

    second = musaned.submit(ahmed, "support_tickets", ticket(subject="Follow-up", related_reference=typed))

    assert musaned.application(second).answers["ticket"]["related_reference"] == first


def test_script_and_direction_overrides_are_shown_as_text(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    subject = "<script>alert(1)</script> \u202egnp.exe"
    message = "<img src=x onerror=alert(1)> my \u202epayment\u202c failed twice"
    reference = musaned.submit(ahmed, "support_tickets", ticket(subject=subject, message=message))

    stored = musaned.application(reference).answers["ticket"]
    assert stored["subject"] == "<script>alert(1)</script> gnp.exe"
    assert "\u202e" not in stored["message"] and "\u202c" not in stored["message"]
    listed = text(english(ahmed, LIST))
    assert "<script>alert(1)</script>" not in listed
    assert "&lt;script&gt;alert(1)&lt;/script&gt; gnp.exe" in listed
    assert "\u202e" not in listed
    detail = text(english(ahmed, f"/applications/{reference}"))
    assert "<img src=x" not in detail and "&lt;img src=x onerror=alert(1)&gt;" in detail
    staff_page = text(english(musaned.staff("support"), f"/backoffice/musaned/applications/{reference}"))
    assert "<script>alert(1)</script>" not in staff_page


def test_a_refused_step_keeps_what_the_person_typed(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)

    response = post_step(ahmed, {**GOOD_TICKET, "subject": "Help"})

    assert response.status_code == 400
    assert GOOD_TICKET["message"] in text(response)


# -- languages -----------------------------------------------------------------------------


def test_the_list_reads_in_english(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    musaned.submit(ahmed, "support_tickets", ticket())

    page = text(english(ahmed, LIST))

    assert '<html lang="en" dir="ltr"' in page
    assert "<h1>My support tickets</h1>" in page
    assert "Open a new ticket" in page
    for header in ("Subject", "Category", "Status", "Last update", "Reference number"):
        assert f'<th scope="col">{header}</th>' in page


def test_the_list_reads_in_arabic_by_default(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    musaned.submit(ahmed, "support_tickets", ticket())

    page = text(ahmed.get(LIST))

    assert '<html lang="ar" dir="rtl"' in page
    assert "<h1>تذاكر الدعم الخاصة بي</h1>" in page
    assert "فتح تذكرة جديدة" in page
    assert "مفتوحة — بانتظار فريق الدعم" in page
    assert "الدفع" in page
    assert "هـ" in page
    assert "My support tickets" not in page
