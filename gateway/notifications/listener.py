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
- Messages go out only after the outermost transaction commits: the outbox
  hands every committed message to ``gateway worker`` (``messaging/dispatch.py``),
  so a slow provider never holds the request and a rolled-back transition
  sends nothing.
"""

from __future__ import annotations

import logging
import weakref
from contextlib import nullcontext
from typing import Any

from flask import Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from ..applications.models import Application, ApplicationEvent
from ..applications.service import declaration_of
from ..identity.models import Person
from .service import notify_application_event

logger = logging.getLogger("gateway.notifications")

HANDLED_KEY = "gateway.notifications.handled"


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

    event.listen(session_factory, "before_flush", before_flush)


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
        notify_application_event(
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
