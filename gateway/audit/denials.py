"""Refused access, recorded where the decision is taken.

A person asking for another person's application, document or bill, or a
member of staff for a program (or an office) outside theirs, gets the same
404 as for something that does not exist (no one learns what exists). The
audit log, though, must show the attempt: :func:`deny` records
``access.denied`` with what was asked for and why it was refused, then
answers the 404. The request's own unfinished work is rolled back first (it
is being refused: nothing of it may be kept), so the record is committed
alone, and on SQLite no second connection waits for the request's write lock.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, current_app, request

from .log import AuditEvents, record


def deny(
    kind: str, identifier: str, *, reason: str, person_id: int | None = None, actor: str | None = None, **details: Any
) -> NoReturn:
    """Record ``access.denied`` for ``kind`` ``identifier`` (``reason``: why), then answer 404.

    ``person_id``/``actor``: who asked (the signed-in person, or ``staff:<id>``).
    """
    db = current_app.extensions["gateway"].db_session()
    db.rollback()
    record(
        db,
        AuditEvents.ACCESS_DENIED,
        person_id=person_id,
        actor=actor,
        kind=kind,
        target=identifier,
        reason=reason,
        method=request.method,
        path=request.path,
        **details,
    )
    db.commit()
    abort(404)
