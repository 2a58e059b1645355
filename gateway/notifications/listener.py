"""Notify on every new history entry of an application, without the applications code knowing.

Why a SQLAlchemy session event: every submission and every transition, from
any caller (the forms engine, the citizen's pages, payments, the back office,
a CLI), writes exactly one ``ApplicationEvent`` row through the ORM. Watching
for those inserts on the app's own session factory catches them all in one
place, and keeps notifications an add-on the applications part does not
import. The choices that make it safe:

- ``before_flush`` (not ``after_flush``) is where SQLAlchemy allows adding
  objects: the notification and its outbox rows join the same flush, hence the
  same transaction, so a rolled-back transition notifies nobody.
- Only *new* ``ApplicationEvent`` objects are looked at, and each is handled
  once (remembered in ``session.info``), so a flush retried after an error, or
  the flush of the notification itself, never notifies twice: the rows this
  listener adds are not ApplicationEvents, so there is no recursion.
- The listener is registered on the app's ``sessionmaker``, not on the
  ``Session`` class, so each app (and each test) has its own, and it works
  alike on SQLite and PostgreSQL because it issues ordinary ORM statements.
- Messages are sent only after the outermost transaction commits, from a
  fresh session (the committed one can no longer run SQL in ``after_commit``).
  A provider failure there is logged and left to the outbox worker; it never
  turns a committed submission into an error.
"""

from __future__ import annotations

import logging
import weakref
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from ..applications.models import Application, ApplicationEvent
from ..applications.service import declaration_of
from ..identity.models import Person
from ..messaging.models import QUEUED, OutboxMessage
from ..messaging.outbox import MESSENGER_EXTENSION
from .service import PURPOSE, notify_application_event

logger = logging.getLogger("gateway.notifications")

HANDLED_KEY = "gateway.notifications.handled"
PENDING_KEY = "gateway.notifications.pending"


@dataclass
class Pending:
    """Messages queued in one outermost transaction, to send once that very transaction commits."""

    transaction: SessionTransaction
    messages: list[OutboxMessage] = field(default_factory=list)


def install_listener(app: Flask, session_factory: sessionmaker[Session]) -> None:
    """Watch every session ``session_factory`` makes (once per factory)."""

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        new_events = [obj for obj in session.new if isinstance(obj, ApplicationEvent)]
        if not new_events:
            return
        handled: weakref.WeakSet[ApplicationEvent] = session.info.setdefault(HANDLED_KEY, weakref.WeakSet())
        with _app_context(app), session.no_autoflush:
            for history in sorted(new_events, key=_moment):
                if history in handled:
                    continue
                handled.add(history)
                _notify(session, history)

    def after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: the outer transaction may still roll back
        pending: Pending | None = session.info.pop(PENDING_KEY, None)
        if pending is None or pending.transaction is not session.get_transaction():
            return  # queued in a transaction that did not commit
        ids = [message.id for message in pending.messages if message.id is not None]
        if ids:
            with _app_context(app):
                _deliver(app, session_factory, ids)

    def after_rollback(session: Session) -> None:
        pending: Pending | None = session.info.get(PENDING_KEY)
        if pending is not None and not pending.transaction.is_active:
            del session.info[PENDING_KEY]  # its transaction is gone: those rows were never stored

    event.listen(session_factory, "before_flush", before_flush)
    event.listen(session_factory, "after_commit", after_commit)
    event.listen(session_factory, "after_rollback", after_rollback)


def _moment(history: ApplicationEvent) -> float:
    """Oldest first when one flush carries several moves (a timestamp, so unset times cannot break the sort)."""
    return history.occurred_at.timestamp() if history.occurred_at is not None else 0.0


def _app_context(app: Flask) -> Any:
    """The app's context when none is active (a script's session), else nothing new."""
    return nullcontext() if has_app_context() else app.app_context()


def _notify(session: Session, history: ApplicationEvent) -> None:
    application = history.application
    if application is None and history.application_id is not None:
        application = session.get(Application, history.application_id)
    if application is None:
        return
    person = session.get(Person, application.person_id)
    if person is None:
        return
    try:
        program, service = declaration_of(application)
        notified = notify_application_event(
            session,
            flush=False,
            application=application,
            person=person,
            source=history.source,
            target=history.target,
            program=program,
            service=service,
        )
    except Exception:  # a broken notification must not lose the person's application
        logger.exception("could not notify person %s about %s", person.id, application.reference)
        return
    root = session.get_transaction()
    assert root is not None, "a flush always runs in a transaction"
    pending: Pending | None = session.info.get(PENDING_KEY)
    if pending is None or pending.transaction is not root:
        pending = session.info[PENDING_KEY] = Pending(root)
    pending.messages.extend(notified.messages)


def _deliver(app: Flask, session_factory: sessionmaker[Session], ids: list[int]) -> None:
    messenger = app.extensions.get(MESSENGER_EXTENSION)
    if messenger is None:
        return
    try:
        with session_factory() as db:
            query = select(OutboxMessage).where(
                OutboxMessage.id.in_(ids), OutboxMessage.status == QUEUED, OutboxMessage.purpose == PURPOSE
            )
            if db.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)  # the worker may hold one already
            for message in db.scalars(query).all():
                messenger.send_now(db, message)
            db.commit()
    except Exception:  # committed is committed: the worker retries whatever is still queued
        logger.exception("immediate delivery of notifications %s failed; the outbox worker will retry", ids)
