"""Handing committed messages to the worker, so no request ever waits for a provider.

A message is queued in the caller's transaction (``queue_message``); once
that transaction commits, a listener on the app's ``sessionmaker`` hands each
new message on: to the ``outbox.deliver`` task of ``gateway worker`` (an
``LPUSH`` or one SQLite insert, whatever the provider is doing), or, when the
channel's sender cannot stall (the sandboxes: the stored row *is* the
delivery), straight away in the request, so the demo shows a code on
``/dev/outbox`` at once without a worker. Why a listener: every message, from
any part (codes, notifications, a plugin's), is dispatched by the same rule
without each caller remembering to.

A message whose hand-off fails (the queue's store is away) is still due in
the database: the periodic ``outbox.deliver_due`` sweep sends it. A failed
attempt schedules the next one as a delayed task at the message's own retry
time, so retries keep the outbox's back-off to the second; the sweep is the
net under all of it. A recovery code is queued with ``dispatch=False`` and
handed off only once the answer has gone out (:func:`dispatch_after_response`,
decision 0009).
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Response

from ..audit.log import AuditEvents, record
from ..tasks import TASKS_EXTENSION, RetryPolicy, get_tasks
from .models import QUEUED, SENT, OutboxMessage
from .outbox import SECRET_PURPOSES, TO_DISPATCH_KEY, get_messenger

logger = logging.getLogger("gateway.messaging")

DELIVER_TASK = "outbox.deliver"
"""The task that makes one attempt at one message (by id)."""


def _app_context(app: Flask) -> Any:
    return nullcontext() if has_app_context() else app.app_context()


def _session_factory(app: Flask) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = app.extensions["gateway"].database.session_factory
    return factory


def deliver_message(message_id: int) -> None:
    """The ``outbox.deliver`` task: one attempt, then the next one scheduled at the message's retry time.

    Not retried by the task queue: the outbox keeps its own count of
    attempts and back-off, and an attempt that raised after the provider
    accepted the message must not be repeated blindly.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with _session_factory(app)() as db:
        message = get_messenger(app).attempt(db, message_id)
        if message is None or message.status == SENT:
            return
        if message.attempts == 1 and message.purpose in SECRET_PURPOSES:  # a code's first failure
            record(
                db,
                AuditEvents.CODE_DELIVERY_FAILED,
                person_id=message.person_id,
                purpose=message.purpose,
                channel=message.channel,
            )
            db.commit()
        if message.status == QUEUED and app.extensions.get(TASKS_EXTENSION) is not None:
            get_tasks(app).enqueue(DELIVER_TASK, message.id, eta=message.next_attempt_at)


def dispatch(app: Flask, messages: list[tuple[int, str]]) -> None:
    """Hand each committed ``(id, channel)`` on: delivered now when its sender cannot stall, else to the worker."""
    messenger = get_messenger(app)
    with _app_context(app):
        for message_id, channel in messages:
            if messenger.delivers_inline(channel):
                try:
                    deliver_message(message_id)
                except Exception:  # committed is committed: the sweep tries again
                    logger.exception("outbox message %s could not be delivered inline", message_id)
            elif app.extensions.get(TASKS_EXTENSION) is None or not get_tasks(app).enqueue(DELIVER_TASK, message_id):
                logger.warning("outbox message %s left for the periodic sweep", message_id)


def dispatch_after_response(response: Response, app: Flask, message_id: int, channel: str) -> None:
    """Dispatch a committed message once ``response`` has gone out, not before (decision 0009).

    Why: when whether a message is sent at all is the secret (a recovery code
    goes only to an ID that has an account), even the hand-off must not be in
    the answer's time. The WSGI server closes the response after its last
    byte; the hand-off runs then.
    """

    def hand_off() -> None:
        try:
            dispatch(app, [(message_id, channel)])
        except Exception:  # the person already has their answer; the sweep sends it
            logger.exception("outbox message %s could not be dispatched after the response", message_id)

    response.call_on_close(hand_off)


def install_dispatch(app: Flask, session_factory: sessionmaker[Session]) -> None:
    """Dispatch the messages a session queued once its outermost transaction commits (once per factory)."""

    def after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: the outer transaction may still roll back
        queued: list[OutboxMessage] = session.info.pop(TO_DISPATCH_KEY, [])
        ready = []
        for message in queued:
            state = inspect(message)
            if state.persistent and state.identity is not None:  # not rolled back with a savepoint
                ready.append((int(state.identity[0]), str(state.dict.get("channel", ""))))
        if ready:
            dispatch(app, ready)

    def after_rollback(session: Session) -> None:
        if not session.in_nested_transaction():  # the whole transaction, not a savepoint: nothing was stored
            session.info.pop(TO_DISPATCH_KEY, None)

    event.listen(session_factory, "after_commit", after_commit)
    event.listen(session_factory, "after_rollback", after_rollback)


def init_dispatch(app: Flask) -> None:
    """Register the ``outbox.deliver`` task and the listener (harmless to call twice)."""
    if app.extensions.get(TASKS_EXTENSION) is not None:
        queue = get_tasks(app)
        if DELIVER_TASK not in queue.tasks:
            queue.task(DELIVER_TASK, deliver_message, retry=RetryPolicy(retries=0))
    host = app.extensions.get("gateway")
    if host is not None and not app.extensions.get("gateway.outbox.dispatch"):
        install_dispatch(app, host.database.session_factory)
        app.extensions["gateway.outbox.dispatch"] = True
