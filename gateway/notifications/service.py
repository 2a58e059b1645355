"""Telling a person that their application was received or changed state: the list, an SMS and an email.

Like the applications store, these functions add and flush but never commit:
the notification and its messages belong to the transaction that made the
change, so a rolled-back transition tells nobody anything. Sending happens
only after the commit (the outbox hands committed messages to the worker,
``messaging/dispatch.py``), because a message that left before a rollback
could not be taken back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bawaba_sdk.applications import DRAFT, SUBMITTED
from bawaba_sdk.program import Program, Service

from ..applications.models import Application
from ..applications.workflow import COMMON_WORKFLOW, service_workflow
from ..identity.models import Person
from ..messaging.models import EMAIL, SMS, OutboxMessage, utc_now
from ..messaging.outbox import queue_message
from . import texts
from .models import STATE_CHANGED, Notification
from .models import SUBMITTED as KIND_SUBMITTED

logger = logging.getLogger("gateway.notifications")

PURPOSE = "notification"
"""The outbox purpose of every message this part sends."""
LIST_LIMIT = 100


@dataclass
class Notified:
    """What :func:`notify_application_event` created: the list entry and the queued messages."""

    notification: Notification
    messages: list[OutboxMessage] = field(default_factory=list)


def kind_of(source: str | None, target: str) -> str:
    """``submitted`` for the first move (from draft, or from nothing) into submitted; ``state_changed`` otherwise."""
    return KIND_SUBMITTED if target == SUBMITTED and source in (None, DRAFT) else STATE_CHANGED


def notify_application_event(
    db: Session,
    *,
    application: Application,
    person: Person,
    source: str | None,
    target: str,
    program: Program | None,
    service: Service | None,
    now: datetime | None = None,
    flush: bool = True,
) -> Notified:
    """Record the notification in both languages and queue one SMS and (if there is an address) one email.

    ``program`` and ``service`` are the declarations the application was made
    to, or ``None`` when their plugin is gone (the slugs are used then).
    Flushes (unless ``flush`` is false: the session listener calls it while a
    flush is already under way); the caller commits, and the outbox hands
    the messages to the worker.
    """
    if application.person_id != person.id:
        raise ValueError("a notification goes to the application's own person only")
    workflow = service_workflow(service) if service is not None else COMMON_WORKFLOW
    facts = texts.Facts(
        kind=kind_of(source, target),
        reference=application.reference,
        service_name=service.name if service is not None else application.service,
        program_name=program.name if program is not None else application.program,
        state_label=workflow.label(target),
    )
    arabic = texts.word(facts, texts.ARABIC)
    english = texts.word(facts, texts.ENGLISH)
    notification = Notification(
        person_id=person.id,
        application=application,
        kind=facts.kind,
        text_ar=arabic.text,
        text_en=english.text,
        created_at=now or utc_now(),
    )
    db.add(notification)
    notified = Notified(notification)
    notified.messages.append(
        queue_message(
            db,
            channel=SMS,
            recipient=person.mobile,
            body=texts.sms_body(arabic, english),
            purpose=PURPOSE,
            person_id=person.id,
        )
    )
    if person.email:
        notified.messages.append(
            queue_message(
                db,
                channel=EMAIL,
                recipient=person.email,
                subject=texts.email_subject(arabic, english),
                body=texts.email_body(arabic, english),
                purpose=PURPOSE,
                person_id=person.id,
            )
        )
    if flush:
        db.flush()
    return notified


def notifications_of(db: Session, person_id: int, *, limit: int = LIST_LIMIT) -> list[Notification]:
    """The person's own notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.person_id == person_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.scalars(query).all())


def unread_count(db: Session, person_id: int) -> int:
    """How many of the person's notifications they have not marked as read (for the header)."""
    query = select(func.count(Notification.id)).where(
        Notification.person_id == person_id, Notification.read_at.is_(None)
    )
    return int(db.scalar(query) or 0)


def mark_all_read(db: Session, person_id: int, *, now: datetime | None = None) -> int:
    """Mark every unread notification of the person as read; return how many changed. The caller commits."""
    result = db.execute(
        update(Notification)
        .where(Notification.person_id == person_id, Notification.read_at.is_(None))
        .values(read_at=now or utc_now())
        .execution_options(synchronize_session="fetch", changed_people=(person_id,))
    )
    return int(getattr(result, "rowcount", 0) or 0)
