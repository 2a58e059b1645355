"""Submitting applications and moving them through their workflow.

These functions add and flush but never commit: the caller commits, so that
everything one request does (the application, its documents, its bill, its
first history entry, a plugin's reaction in its hook) is stored together or
not at all. A plugin hook that raises makes the operation raise
:class:`WorkflowHookError`; the caller rolls back and nothing is kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bawaba_sdk.applications import DRAFT, SUBMITTED, ApplicationView
from bawaba_sdk.identity import PersonView
from bawaba_sdk.program import ACTORS, Program, Service

from ..hooks import HookFailed
from ..identity.models import Person
from ..messaging.models import utc_now
from .models import AUTHORS, SCOPE_LENGTH, Application, ApplicationEvent, ApplicationMessage
from .references import new_reference, reference_prefix
from .workflow import COMMON_WORKFLOW, TransitionNotAllowed, Workflow, service_workflow, state_text

logger = logging.getLogger("gateway.applications")

HOOK = "gateway_application_transitioned"
REFERENCE_ATTEMPTS = 8
"""Collisions among 32^8 codes are rare; several in a row mean something else is wrong."""
MAX_MESSAGE_LENGTH = 4000


class ApplicationError(Exception):
    """A request the applications store cannot carry out (the message says why, for logs)."""


class WorkflowHookError(ApplicationError):
    """The owning plugin raised in ``gateway_application_transitioned``; the whole operation must roll back."""


def submit_application(
    db: Session,
    *,
    person: Person,
    program: Program,
    service: Service,
    answers: dict[str, Any],
    submission_key: str,
    now: datetime | None = None,
) -> Application:
    """Create the application for ``submission_key``, or return the one already created for it.

    A double click or a resent POST carries the same key, so it finds the
    first application instead of making a second one. The new application is
    ``submitted`` with its first history entry (draft -> submitted), and the
    owning plugin's transition hook has run; the caller commits.
    """
    if not submission_key or len(submission_key) > 64:
        raise ApplicationError("a submission key of 1 to 64 characters is required")
    if program.service(service.slug) is None:
        raise ApplicationError(f"program {program.slug!r} does not offer service {service.slug!r}")
    existing = _by_submission_key(db, submission_key)
    if existing is not None:
        return _same_person(existing, person)
    service_workflow(service)  # a service whose workflow is inconsistent takes no applications
    moment = now or utc_now()
    prefix = reference_prefix(program, service)
    application: Application | None = None
    for _attempt in range(REFERENCE_ATTEMPTS):
        candidate = Application(
            reference=new_reference(prefix),
            program=program.slug,
            service=service.slug,
            person_id=person.id,
            state=SUBMITTED,
            answers=json.loads(json.dumps(answers, default=str)),
            extra={},
            scope=scope_of(service, answers),
            submission_key=submission_key,
            created_at=moment,
            submitted_at=moment,
            updated_at=moment,
        )
        savepoint = db.begin_nested()
        db.add(candidate)
        try:
            db.flush()
        except IntegrityError:
            savepoint.rollback()
            existing = _by_submission_key(db, submission_key)
            if existing is not None:  # the same submission raced us and won
                return _same_person(existing, person)
            continue  # the reference was taken: draw another
        savepoint.commit()
        application = candidate
        break
    if application is None:
        raise ApplicationError(f"could not find a free reference with prefix {prefix!r}")
    _record(
        db,
        application,
        source=DRAFT,
        target=SUBMITTED,
        actor=f"person:{person.id}",
        actor_kind="citizen",
        comment="",
        moment=moment,
        person=person,
        program=program,
    )
    return application


def scope_of(service: Service, answers: Mapping[str, Any]) -> str | None:
    """The answer the service's ``scope_answer`` names, as text (``None`` when it declares none or it is empty)."""
    if service.scope_answer is None:
        return None
    step_slug, _dot, field_name = service.scope_answer.partition(".")
    step = answers.get(step_slug)
    value = step.get(field_name) if isinstance(step, Mapping) else None
    if value is None or value == "":
        return None
    return str(value)[:SCOPE_LENGTH]


def transition(
    db: Session,
    application: Application,
    target: str,
    *,
    actor: str,
    actor_kind: str,
    comment: str = "",
    now: datetime | None = None,
) -> ApplicationEvent:
    """Move ``application`` to ``target`` if its workflow lets ``actor_kind`` do so; record it; call the hook.

    Raises :class:`TransitionNotAllowed` when the move is not declared for
    that kind of actor from the current state, and :class:`WorkflowHookError`
    when the owning plugin raises in its hook. The caller commits.
    """
    if actor_kind not in ACTORS:
        raise TransitionNotAllowed(application.state, target, actor_kind)
    program, service = declaration_of(application)
    workflow = service_workflow(service) if service is not None else COMMON_WORKFLOW
    if workflow.find(application.state, target, actor_kind) is None:
        raise TransitionNotAllowed(application.state, target, actor_kind)
    person = db.get(Person, application.person_id)
    assert person is not None, "an application always belongs to a person (foreign key)"
    event = _record(
        db,
        application,
        source=application.state,
        target=target,
        actor=actor,
        actor_kind=actor_kind,
        comment=comment,
        moment=now or utc_now(),
        person=person,
        program=program,
    )
    _move_on_if_already_paid(db, application, workflow, now=now)
    return event


def _move_on_if_already_paid(db: Session, application: Application, workflow: Workflow, now: datetime | None) -> None:
    """Make the state's ``on_payment`` move now when every bill of the application is already paid.

    A person may pay before the workflow waits for the payment (the advance
    of a contract paid before the office accepts it); the payment must not be
    forgotten, so reaching the waiting state with everything paid moves on.
    """
    move = workflow.payment_transition(application.state)
    if move is None or move.by != "system":
        return
    from ..payments.models import PAID
    from ..payments.service import bills_of_application

    bills = bills_of_application(db, application.id)
    if not bills or any(bill.status != PAID for bill in bills):
        return
    transition(
        db,
        application,
        move.target,
        actor="system",
        actor_kind="system",
        comment=f"Bill {bills[-1].bill_number} already paid",
        now=now,
    )


def add_message(
    db: Session, application: Application, *, author: str, body: str, now: datetime | None = None
) -> ApplicationMessage:
    """Add a message from the citizen or the staff to the application's exchange (the caller commits)."""
    if author not in AUTHORS:
        raise ApplicationError(f"author must be one of {AUTHORS}")
    if not body.strip() or len(body) > MAX_MESSAGE_LENGTH:
        raise ApplicationError(f"a message has 1 to {MAX_MESSAGE_LENGTH} characters")
    message = ApplicationMessage(author=author, body=body, created_at=now or utc_now())
    application.messages.append(message)  # the cascade adds it; adding it first would list it twice
    db.flush()
    return message


def applications_of(db: Session, person_id: int) -> list[Application]:
    """Every application of the person across every program, newest first."""
    query = (
        select(Application)
        .where(Application.person_id == person_id)
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    return list(db.scalars(query).all())


def application_for(db: Session, person_id: int, reference: str) -> Application | None:
    """The person's own application with ``reference``; ``None`` for anyone else's or an unknown one."""
    query = select(Application).where(Application.reference == reference, Application.person_id == person_id)
    return db.scalars(query).first()


def application_exists(db: Session, reference: str) -> bool:
    """Whether any application has ``reference`` (to tell a refused access from a mistyped one, for the audit)."""
    return db.scalars(select(Application.id).where(Application.reference == reference)).first() is not None


def as_view(application: Application, person: Person | PersonView) -> ApplicationView:
    """The read-only snapshot plugins receive (they never get the row itself)."""
    return ApplicationView(
        reference=application.reference,
        program=application.program,
        service=application.service,
        state=application.state,
        person_subject=person.subject,
        answers=MappingProxyType(dict(application.answers or {})),
        submitted_at=application.submitted_at,
        extra=MappingProxyType(dict(application.extra or {})),
        updated_at=application.updated_at,
        scope=application.scope,
        state_label=state_text(workflow_of(application), application.state),
    )


def declaration_of(application: Application) -> tuple[Program | None, Service | None]:
    """The program and service an application was made to, as their plugin declares them now."""
    program = program_named(application.program)
    return program, (program.service(application.service) if program is not None else None)


def program_named(slug: str) -> Program | None:
    for record in current_app.extensions["gateway"].plugins.records.values():
        if record.program is not None and record.program.slug == slug:
            program: Program = record.program
            return program
    return None


def workflow_of(application: Application) -> Workflow:
    _program, service = declaration_of(application)
    return service_workflow(service) if service is not None else COMMON_WORKFLOW


def _by_submission_key(db: Session, submission_key: str) -> Application | None:
    return db.scalars(select(Application).where(Application.submission_key == submission_key)).first()


def _same_person(application: Application, person: Person) -> Application:
    if application.person_id != person.id:
        raise ApplicationError("this submission key belongs to another person's application")
    return application


def _record(
    db: Session,
    application: Application,
    *,
    source: str,
    target: str,
    actor: str,
    actor_kind: str,
    comment: str,
    moment: datetime,
    person: Person,
    program: Program | None,
) -> ApplicationEvent:
    application.state = target
    application.updated_at = moment
    event = ApplicationEvent(
        occurred_at=moment,
        actor=actor,
        actor_kind=actor_kind,
        source=source,
        target=target,
        comment=comment,
    )
    application.events.append(event)  # the cascade adds it; adding it first would list it twice
    db.flush()
    extra = _call_hook(application, person, program, source=source, target=target, actor=actor)
    if extra:
        application.extra = {**(application.extra or {}), **extra}
        db.flush()
    return event


def _call_hook(
    application: Application, person: Person, program: Program | None, *, source: str, target: str, actor: str
) -> dict[str, Any]:
    """Call the owning plugin's hook (only that plugin); what it returns goes into ``extra``."""
    if program is None:
        return {}
    plugins = current_app.extensions["gateway"].plugins
    owner = next(
        (record for record in plugins.serving() if record.program is not None and record.program.slug == program.slug),
        None,
    )
    if owner is None:
        return {}
    try:
        result = plugins.hooks.application_transitioned(
            owner.name,
            program=program,
            application=as_view(application, person),
            source=source,
            target=target,
            actor=actor,
        )
    except HookFailed as exc:  # logged and audited by the facade
        raise WorkflowHookError(str(exc)) from exc
    if result is None:
        return {}
    if not isinstance(result, Mapping):
        raise WorkflowHookError(f"plugin {owner.name!r} returned {type(result).__name__} from {HOOK}, not a mapping")
    try:
        values: dict[str, Any] = json.loads(json.dumps({str(key): value for key, value in result.items()}))
    except (TypeError, ValueError) as exc:
        raise WorkflowHookError(f"plugin {owner.name!r} returned values that cannot be stored: {exc}") from exc
    return values
