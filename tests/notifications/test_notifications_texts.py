"""The words of a notification: one clean line per language, a subject no text can break, a matching table."""

from __future__ import annotations

import dataclasses

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.applications import Application, declaration_of
from gateway.database import Base
from gateway.identity.models import Person
from gateway.messaging.models import SUBJECT_LENGTH
from gateway.notifications import kind_of, notify_application_event
from gateway.notifications.texts import one_line
from tests.identity.conftest import AHMED, Portal

HOSTILE = "Fishing\r\nBcc: thief@example.com\n\nSubject: free money\u2028\x00"


def test_one_line_removes_every_line_break_and_control_character() -> None:
    assert one_line("a\r\nb\tc\u2028d\u2029e\x00f\x85g") == "a b c d e f g"
    assert one_line("  الرقم\u200f  PRM-1 ") == "الرقم\u200f PRM-1"  # direction marks stay


def test_kinds() -> None:
    assert kind_of("draft", "submitted") == kind_of(None, "submitted") == "submitted"
    assert kind_of("needs_information", "submitted") == "state_changed"
    assert kind_of("submitted", "in_review") == "state_changed"


def test_no_declared_text_can_inject_an_email_header(ahmed: FlaskClient, forms_portal: Portal) -> None:
    app = forms_portal.app
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
        application = Application(
            reference="PRM-\r\nBcc: x",
            program="permits",
            service="fishing_licence",
            person_id=person.id,
            state="in_review",
            submission_key="hostile",
        )
        program, service = declaration_of(application)
        assert program is not None and service is not None
        notified = notify_application_event(
            db,
            application=application,
            person=person,
            source="submitted",
            target="in_review",
            program=dataclasses.replace(program, name=HOSTILE),
            service=dataclasses.replace(service, name=HOSTILE),
            flush=False,
        )
        sms, email = notified.messages
        assert email.subject is not None and len(email.subject) <= SUBJECT_LENGTH
        for line in (email.subject, notified.notification.text_ar, notified.notification.text_en):
            assert not any(char in line for char in "\r\n\x00\u2028")
        assert "Bcc: thief@example.com Subject: free money" in notified.notification.text_en
        assert sms.body.count("\n") == 1  # Arabic line, English line: nothing else breaks it
        assert email.body.count("\n") == 5
        db.rollback()


def test_the_migration_matches_the_model(ahmed: FlaskClient, forms_portal: Portal) -> None:
    engine = forms_portal.app.extensions["gateway"].database.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [item for item in compare_metadata(context, Base.metadata) if "notifications" in repr(item)]
    assert differences == []
