"""Submitting and every status change notify the applicant: a list entry, one SMS and one email, both languages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bawaba_sdk.i18n import text_in
from gateway.applications import Application, declaration_of, transition
from gateway.identity.models import Person
from gateway.messaging.base import DeliveryError
from gateway.messaging.models import EMAIL, QUEUED, SENT, SMS
from gateway.messaging.outbox import MESSENGER_EXTENSION, TO_DISPATCH_KEY
from gateway.notifications import Notification, notify_application_event
from gateway.tasks import get_tasks
from tests.identity.conftest import AHMED, AHMED_MOBILE, Portal
from tests.notifications.conftest import (
    application_named,
    notification_messages,
    notifications,
    register_rajesh,
    submit,
)

ARABIC_IN_REVIEW = "قيد الدراسة"  # the host catalogue's "In review"


def _names_in_arabic(app: Flask, reference: str) -> tuple[str, str]:
    """The service and program names as the plugin declares them in Arabic."""
    with app.app_context():
        program, service = declaration_of(application_named(app, reference))
        assert program is not None and service is not None
        return text_in(service.name, "ar"), text_in(program.name, "ar")


def _move(app: Flask, reference: str, target: str, *, actor: str, actor_kind: str) -> None:
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        transition(db, application, target, actor=actor, actor_kind=actor_kind)
        db.commit()


def test_a_submission_through_the_forms_engine_notifies_in_both_languages(
    ahmed: FlaskClient, forms_portal: Portal
) -> None:
    app = forms_portal.app
    reference = submit(ahmed)

    [notification] = notifications(app)
    assert notification.kind == "submitted"
    assert notification.application_id == application_named(app, reference).id
    assert notification.read_at is None
    service_ar, program_ar = _names_in_arabic(app, reference)
    assert notification.text_en == f"Your application {reference} for Fishing licence (Permits) was received."
    assert notification.text_ar == f"استلمنا طلبك {reference} لخدمة {service_ar} ({program_ar})."

    sms, email = notification_messages(app)
    assert (sms.channel, sms.recipient, sms.subject) == (SMS, AHMED_MOBILE, None)
    assert sms.body.splitlines() == [notification.text_ar, notification.text_en]
    assert (email.channel, email.recipient) == (EMAIL, "ahmed@example.com")
    assert email.subject is not None and reference in email.subject
    assert notification.text_ar in email.body and notification.text_en in email.body
    assert email.body.index(notification.text_ar) < email.body.index(notification.text_en)
    assert sms.person_id == email.person_id == notification.person_id
    # Delivered straight after the commit (the sandboxes always accept), not left for the worker.
    assert sms.status == email.status == SENT


def test_every_status_change_notifies_whoever_makes_it(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    reference = submit(ahmed)
    _move(app, reference, "fee_paid", actor="system", actor_kind="system")
    _move(app, reference, "in_review", actor="staff:1", actor_kind="staff")

    kinds = [(item.kind, item.text_en) for item in notifications(app)]
    assert kinds == [
        ("submitted", f"Your application {reference} for Fishing licence (Permits) was received."),
        ("state_changed", f"Your application {reference} for Fishing licence (Permits) is now: Fee paid."),
        ("state_changed", f"Your application {reference} for Fishing licence (Permits) is now: In review."),
    ]
    latest = notifications(app)[-1]
    assert ARABIC_IN_REVIEW in latest.text_ar and "In review" not in latest.text_ar
    messages = notification_messages(app)
    assert [message.channel for message in messages] == [SMS, EMAIL] * 3
    assert ARABIC_IN_REVIEW in messages[-1].body and "In review" in messages[-1].body


def test_a_rolled_back_transition_tells_nobody(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    reference = submit(ahmed)
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        transition(db, application, "fee_paid", actor="system", actor_kind="system")
        db.flush()  # flushing again adds nothing twice
        assert len(db.info[TO_DISPATCH_KEY]) == 2
        db.rollback()
        assert TO_DISPATCH_KEY not in db.info
    assert len(notifications(app)) == 1
    assert len(notification_messages(app)) == 2


def test_notify_application_event_can_be_called_directly(ahmed: FlaskClient, forms_portal: Portal) -> None:
    """Without the listener (a plain application row): one entry, one SMS, one email, sent once committed."""
    app = forms_portal.app
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
        application = Application(
            reference="PRM-TEST0001",
            program="permits",
            service="fishing_licence",
            person_id=person.id,
            state="in_review",
            answers={},
            extra={},
            submission_key="direct-1",
        )
        db.add(application)
        db.flush()
        program, service = declaration_of(application)
        notified = notify_application_event(
            db,
            application=application,
            person=person,
            source="submitted",
            target="in_review",
            program=program,
            service=service,
        )
        assert len(notified.messages) == 2
        db.commit()  # the sandbox senders cannot stall: the commit hands them over at once
    [notification] = notifications(app)
    assert notification.kind == "state_changed" and "PRM-TEST0001" in notification.text_en
    assert [message.status for message in notification_messages(app)] == [SENT, SENT]


def test_a_notification_never_carries_anyone_elses_data(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    rajesh = register_rajesh(forms_portal)
    ahmed_reference = submit(ahmed)
    rajesh_reference = submit(rajesh)

    with app.extensions["gateway"].database.session_factory() as db:
        people = {person.id: person for person in db.scalars(select(Person)).all()}
        by_person = {
            person_id: list(db.scalars(select(Notification).where(Notification.person_id == person_id)).all())
            for person_id in people
        }
    ahmed_id = next(pid for pid, person in people.items() if person.id_number == AHMED["id_number"])
    rajesh_id = next(pid for pid in people if pid != ahmed_id)
    for person_id, own, other in (
        (ahmed_id, ahmed_reference, rajesh_reference),
        (rajesh_id, rajesh_reference, ahmed_reference),
    ):
        [item] = by_person[person_id]
        text = item.text_ar + item.text_en
        assert own in text and other not in text
        other_person = people[rajesh_id if person_id == ahmed_id else ahmed_id]
        for private in (other_person.id_number, other_person.first_name_en, other_person.mobile, "Al Bahr"):
            assert private not in text
    for message in notification_messages(app):
        owner = people[message.person_id or 0]
        assert message.recipient in (owner.mobile, owner.email)
        other = rajesh_reference if owner.id == ahmed_id else ahmed_reference
        assert other not in message.body and owner.id_number not in message.body


class _ProviderDown:
    """An email provider that is unreachable (a stand-in for SMTP being down, not the code under test)."""

    keeps_messages = True

    def send(self, message: object) -> str | None:
        raise DeliveryError("connection refused")


def test_a_provider_outage_keeps_the_submission_and_leaves_the_message_to_the_worker(
    ahmed: FlaskClient, forms_portal: Portal
) -> None:
    app = forms_portal.app
    app.extensions[MESSENGER_EXTENSION].senders[EMAIL] = _ProviderDown()
    reference = submit(ahmed)
    assert application_named(app, reference).state == "submitted"
    sms, email = notification_messages(app)
    assert sms.status == SENT
    assert (email.status, email.attempts) == (QUEUED, 0)  # handed to the worker, not tried in the request
    assert get_tasks(app).run_pending() == 1  # what gateway worker does next
    sms, email = notification_messages(app)
    assert (email.status, email.attempts, email.last_error) == (QUEUED, 1, "connection refused")
    assert get_tasks(app).huey.scheduled_count() == 1  # its retry, at the outbox's back-off


def test_a_person_without_an_email_address_gets_the_sms_only(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
        person.email = None
        db.commit()
    submit(ahmed)
    assert [message.channel for message in notification_messages(app)] == [SMS]
    assert len(notifications(app)) == 1


def test_several_moves_in_one_transaction_notify_in_order(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    reference = submit(ahmed)
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        transition(db, application, "fee_paid", actor="system", actor_kind="system")
        savepoint = db.begin_nested()
        transition(db, application, "in_review", actor="staff:1", actor_kind="staff")
        savepoint.rollback()  # this start of the review is undone: nobody hears of it
        assert application.state == "fee_paid"
        transition(db, application, "in_review", actor="staff:2", actor_kind="staff", comment="again")
        db.commit()
    texts = [item.text_en for item in notifications(app)]
    assert [text.rsplit(": ", 1)[-1] for text in texts[1:]] == ["Fee paid.", "In review."]
    statuses = [message.status for message in notification_messages(app)]
    assert statuses == [SENT] * 6
