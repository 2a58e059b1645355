"""The applications store: idempotent and transactional submission, transitions, hooks, the table."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import MetaData, Table, func, inspect, select
from sqlalchemy.orm import Session

from bawaba_sdk import ApplicationView
from bawaba_sdk.applications import APPROVED, IN_REVIEW, NEEDS_INFORMATION, SUBMITTED, WITHDRAWN
from gateway import migrate
from gateway.applications import (
    Application,
    ApplicationError,
    ApplicationEvent,
    ApplicationMessage,
    TransitionNotAllowed,
    WorkflowHookError,
    add_message,
    application_for,
    applications_of,
    submit_application,
    transition,
)
from gateway.applications import service as application_service
from gateway.identity.models import Person
from tests.applications.conftest import Citizens
from tests.sample_plugins import workflow_probe as probe

APPLICATION_TABLES = {"applications", "application_events", "application_messages"}


@pytest.fixture
def db(citizens: Citizens) -> Iterator[Session]:
    with citizens.app.app_context():
        yield citizens.app.extensions["gateway"].db_session()


def make_person(db: Session, id_number: str = "1000000008") -> Person:
    person = Person(
        id_number=id_number,
        id_type="citizen",
        first_name_ar="أحمد",
        family_name_ar="الزهراني",
        first_name_en="Ahmed",
        family_name_en="Al-Zahrani",
        birth_date=dt.date(1984, 3, 5),
        nationality="SA",
        mobile="+966501234567",
    )
    db.add(person)
    db.commit()
    return person


def submit(db: Session, person: Person, key: str = "key-1", service: object = probe.PERMIT) -> Application:
    return submit_application(
        db,
        person=person,
        program=probe.PROGRAM,
        service=service,  # type: ignore[arg-type]
        answers={"details": {"purpose": "Fishing", "days": 3}},
        submission_key=key,
    )


def counts(citizens: Citizens) -> tuple[int, int]:
    with citizens.db() as fresh:
        applications = fresh.scalar(select(func.count()).select_from(Application))
        events = fresh.scalar(select(func.count()).select_from(ApplicationEvent))
    return applications or 0, events or 0


def test_submitting_creates_a_submitted_application_with_its_first_history_entry(
    citizens: Citizens, db: Session
) -> None:
    person = make_person(db)
    application = submit(db, person)
    db.commit()
    assert application.state == SUBMITTED
    assert application.reference.startswith("PRB-") and len(application.reference) == 12
    assert application.answers == {"details": {"purpose": "Fishing", "days": 3}}
    assert application.submitted_at is not None and application.submitted_at.tzinfo is not None
    [event] = application.events
    assert (event.source, event.target, event.actor, event.actor_kind) == (
        "draft",
        SUBMITTED,
        f"person:{person.id}",
        "citizen",
    )
    assert counts(citizens) == (1, 1)


def test_the_same_submission_key_twice_gives_one_application(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    first = submit(db, person)
    db.commit()
    second = submit(db, person)
    db.commit()
    assert second.id == first.id and second.reference == first.reference
    assert counts(citizens) == (1, 1)
    assert len(probe.CALLS) == 1, "the hook runs for the first submission only"
    third = submit(db, person, key="key-2")
    db.commit()
    assert third.id != first.id
    assert counts(citizens) == (2, 2)


def test_someone_else_s_submission_key_is_refused(citizens: Citizens, db: Session) -> None:
    ahmed = make_person(db)
    rajesh = make_person(db, "2000000006")
    submit(db, ahmed)
    db.commit()
    with pytest.raises(ApplicationError):
        submit(db, rajesh)


def test_a_hook_that_raises_on_submission_leaves_nothing_behind(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    probe.RAISE_ON.add(SUBMITTED)
    with pytest.raises(WorkflowHookError, match="probe refuses"):
        submit(db, person)
    db.rollback()
    assert counts(citizens) == (0, 0)
    probe.RAISE_ON.clear()
    submit(db, person)
    db.commit()
    assert counts(citizens) == (1, 1), "the same key works once the plugin recovers"


def test_a_taken_reference_is_drawn_again(citizens: Citizens, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    person = make_person(db)
    taken = submit(db, person, key="first").reference
    db.commit()
    draws = iter([taken, taken, "PRB-0000ZZZZ"])
    monkeypatch.setattr(application_service, "new_reference", lambda prefix: next(draws))
    second = submit(db, person, key="second")
    db.commit()
    assert second.reference == "PRB-0000ZZZZ"
    assert counts(citizens) == (2, 2)


def test_the_hook_gets_the_program_the_application_and_the_move(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    application = submit(db, person)
    transition(db, application, IN_REVIEW, actor="staff:7", actor_kind="staff", comment="Looking at it")
    db.commit()
    assert [(call["source"], call["target"], call["actor"]) for call in probe.CALLS] == [
        ("draft", SUBMITTED, f"person:{person.id}"),
        (SUBMITTED, IN_REVIEW, "staff:7"),
    ]
    view = probe.CALLS[-1]["application"]
    assert isinstance(view, ApplicationView)
    assert probe.CALLS[-1]["program"] == "probe"
    assert (view.reference, view.program, view.service, view.state) == (
        application.reference,
        "probe",
        "permit",
        IN_REVIEW,
    )
    assert view.person_subject == person.subject
    assert view.answers["details"]["purpose"] == "Fishing"
    with pytest.raises(TypeError):
        view.answers["details"] = {}  # type: ignore[index]


def test_what_the_hook_returns_on_approval_is_stored_in_extra(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    application = submit(db, person)
    transition(db, application, IN_REVIEW, actor="staff:7", actor_kind="staff")
    transition(db, application, APPROVED, actor="staff:7", actor_kind="staff", comment="All good")
    transition(db, application, "issued", actor="staff:7", actor_kind="staff")
    db.commit()
    with citizens.db() as fresh:
        stored = fresh.scalars(select(Application)).one()
        assert stored.extra == {"permit_number": probe.PERMIT_NUMBER}
        assert stored.state == "issued"
        assert [(event.source, event.target, event.comment) for event in stored.events] == [
            ("draft", SUBMITTED, ""),
            (SUBMITTED, IN_REVIEW, ""),
            (IN_REVIEW, APPROVED, "All good"),
            (APPROVED, "issued", ""),
        ]


def test_a_hook_that_raises_on_a_transition_rolls_it_back(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    application = submit(db, person)
    transition(db, application, IN_REVIEW, actor="staff:7", actor_kind="staff")
    db.commit()
    probe.RAISE_ON.add(APPROVED)
    with pytest.raises(WorkflowHookError):
        transition(db, application, APPROVED, actor="staff:7", actor_kind="staff")
    db.rollback()
    with citizens.db() as fresh:
        stored = fresh.scalars(select(Application)).one()
        assert stored.state == IN_REVIEW and stored.extra == {}
        assert len(stored.events) == 2


def test_moves_are_allowed_or_refused_by_actor_kind(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    application = submit(db, person)
    for target, kind in ((IN_REVIEW, "citizen"), (APPROVED, "staff"), (IN_REVIEW, "system"), ("issued", "staff")):
        with pytest.raises(TransitionNotAllowed):
            transition(db, application, target, actor="x", actor_kind=kind)
    with pytest.raises(TransitionNotAllowed):
        transition(db, application, IN_REVIEW, actor="x", actor_kind="hacker")
    assert application.state == SUBMITTED
    transition(db, application, IN_REVIEW, actor="staff:1", actor_kind="staff")
    transition(db, application, NEEDS_INFORMATION, actor="staff:1", actor_kind="staff")
    transition(db, application, IN_REVIEW, actor=f"person:{person.id}", actor_kind="citizen")
    transition(db, application, WITHDRAWN, actor=f"person:{person.id}", actor_kind="citizen")
    with pytest.raises(TransitionNotAllowed):
        transition(db, application, IN_REVIEW, actor="staff:1", actor_kind="staff")
    db.commit()
    assert [event.target for event in application.events][-1] == WITHDRAWN


def test_own_applications_only_and_newest_first(citizens: Citizens, db: Session) -> None:
    ahmed = make_person(db)
    rajesh = make_person(db, "2000000006")
    older = submit(db, ahmed, key="a1")
    older.created_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    newer = submit(db, ahmed, key="a2", service=probe.NOTE)
    theirs = submit(db, rajesh, key="r1")
    db.commit()
    assert [application.id for application in applications_of(db, ahmed.id)] == [newer.id, older.id]
    assert newer.reference.startswith("PRO-")
    assert application_for(db, ahmed.id, older.reference) is older
    assert application_for(db, ahmed.id, theirs.reference) is None
    assert application_for(db, ahmed.id, "PRB-00000000") is None


def test_messages_are_kept_in_order(citizens: Citizens, db: Session) -> None:
    application = submit(db, make_person(db))
    add_message(db, application, author="staff", body="Please send your licence number.")
    add_message(db, application, author="citizen", body="It is 12345.")
    for author, body in (("robot", "hi"), ("citizen", "  "), ("citizen", "x" * 5000)):
        with pytest.raises(ApplicationError):
            add_message(db, application, author=author, body=body)
    db.commit()
    with citizens.db() as fresh:
        messages = fresh.scalars(select(ApplicationMessage).order_by(ApplicationMessage.id)).all()
        assert [(message.author, message.body) for message in messages] == [
            ("staff", "Please send your licence number."),
            ("citizen", "It is 12345."),
        ]


def test_the_migration_creates_exactly_the_models_tables(app: Flask) -> None:
    engine = app.extensions["gateway"].database.engine
    ours_only = MetaData(naming_convention=Application.metadata.naming_convention)
    for model in (Person, Application, ApplicationEvent, ApplicationMessage):
        Table.to_metadata(model.__table__, ours_only)  # type: ignore[arg-type]

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in APPLICATION_TABLES

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        assert compare_metadata(context, ours_only) == []
        inspector = inspect(connection)
        indexes = {index["name"] for table in APPLICATION_TABLES for index in inspector.get_indexes(table)}
        unique = {constraint["name"] for constraint in inspector.get_unique_constraints("applications")}
    assert indexes >= {
        "ix_applications_person_id",
        "ix_application_events_application_id",
        "ix_application_messages_application_id",
    }
    assert unique >= {"uq_applications_reference", "uq_applications_submission_key"}


def test_the_migration_goes_down_and_up_again(app: Flask) -> None:
    host = app.extensions["gateway"]
    engine = host.database.engine
    migrate.downgrade(engine, host.component("gateway"), "0006_oidc")
    assert not APPLICATION_TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(engine, host.migration_components())
    assert set(inspect(engine).get_table_names()) >= APPLICATION_TABLES


def test_two_racing_submissions_with_one_key_give_one_application(citizens: Citizens, db: Session) -> None:
    """On PostgreSQL the second insert waits for the first transaction, then finds its application."""
    if citizens.app.extensions["gateway"].database.backend != "postgresql":
        pytest.skip("SQLite serialises writers with a file lock; the race needs PostgreSQL")
    person = make_person(db)
    first = submit(db, person, key="racing")  # flushed, not yet committed
    outcome: dict[str, object] = {}

    def second_click() -> None:
        with citizens.app.app_context():
            other = citizens.app.extensions["gateway"].db_session()
            try:
                outcome["reference"] = submit(other, other.get(Person, person.id), key="racing").reference
                other.commit()
            except Exception as exc:  # pragma: no cover - reported below
                outcome["error"] = exc

    racer = threading.Thread(target=second_click)
    racer.start()
    racer.join(0.5)
    assert racer.is_alive(), "the second insert should wait on the unique submission key"
    db.commit()
    racer.join(10)
    assert outcome == {"reference": first.reference}
    assert counts(citizens) == (1, 1)


def test_submitting_needs_a_key_and_a_service_of_the_program(citizens: Citizens, db: Session) -> None:
    person = make_person(db)
    musaned = citizens.program("musaned")
    for program, service, key in (
        (probe.PROGRAM, probe.PERMIT, ""),
        (probe.PROGRAM, probe.PERMIT, "k" * 65),
        (musaned, probe.PERMIT, "k-1"),
    ):
        with pytest.raises(ApplicationError):
            submit_application(db, person=person, program=program, service=service, answers={}, submission_key=key)
    assert counts(citizens) == (0, 0)
