"""A request that fails on an unexpected error: its rolled-back transaction is recorded in the audit log.

When a view raises something unexpected, whatever it had not committed is
lost (the person's "saved information" is what was committed before). The
log must show that it happened: :func:`record_rollback` rolls the request's
session back, then writes ``request.rolled_back`` in a transaction of its own
(a fresh session, so nothing of the failed work can ride along) with the
request's method and path, the error's class, and who was signed in — never
the error's message or the request's data, which may hold secrets.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, request, session

from ..errors import on_unexpected_error
from .log import AuditEvents, record

logger = logging.getLogger("gateway.audit")


def record_rollback(error: BaseException, *, person_key: str, staff_key: str) -> None:
    """Roll back the request's transaction; if one was open, record it in its own transaction."""
    database = current_app.extensions["gateway"].database
    if not database.roll_back_request_session():
        return
    person_id = session.get(person_key)
    staff_id = session.get(staff_key)
    actor = f"staff:{staff_id}" if isinstance(staff_id, int) else None
    with database.session_factory() as own:
        record(
            own,
            AuditEvents.ROLLED_BACK,
            person_id=person_id if isinstance(person_id, int) else None,
            actor=actor,
            method=request.method,
            path=request.path,
            error=f"{type(error).__module__}.{type(error).__qualname__}",
        )
        own.commit()


def init_rollback_audit(app: Flask, *, person_key: str, staff_key: str) -> None:
    """Record every transaction an unexpected error rolls back (``person_key``/``staff_key``: who is signed in)."""

    def listener(error: BaseException) -> None:
        record_rollback(error, person_key=person_key, staff_key=staff_key)

    on_unexpected_error(app, listener)
