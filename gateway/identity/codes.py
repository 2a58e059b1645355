"""Sending and checking the one-time codes of the account flows.

A flow (registration, sign-in, recovery, contact change) keeps a random id
in the server-side session; every code is bound to that id and to the flow's
purpose. Sending queues the message in the outbox; once the request commits,
the worker delivers it (``messaging/dispatch.py``), so a slow provider never
holds the request. When the provider refuses it, the message waits for a
retry, and the code page tells the person the code is delayed
(:func:`code_delayed`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app, session
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.log import AuditEvents, record
from ..i18n import language_code
from ..messaging.models import SENT, OutboxMessage
from ..messaging.outbox import queue_message
from ..otp.messages import code_message, code_subject, webotp_host_from_config
from ..otp.service import CodeRefused, OneTimeCodes, VerifyResult

FLOW_PREFIX = "flow:"


@dataclass(frozen=True)
class SendOutcome:
    """What happened to a code: queued for the worker (``message_id``), or refused (too soon / too many)."""

    refused: CodeRefused | None = None
    message_id: int | None = None
    """The outbox message carrying the code; keep it in the flow to tell later whether it is delayed."""


def codes() -> OneTimeCodes:
    service: OneTimeCodes = current_app.extensions["gateway.otp"]
    return service


def start_flow(name: str, **state: Any) -> dict[str, Any]:
    flow = {"id": secrets.token_urlsafe(24), **state}
    session[FLOW_PREFIX + name] = flow
    return flow


def get_flow(name: str) -> dict[str, Any] | None:
    flow = session.get(FLOW_PREFIX + name)
    return flow if isinstance(flow, dict) else None


def update_flow(name: str, **changes: Any) -> dict[str, Any]:
    flow = dict(get_flow(name) or {})
    flow.update(changes)
    session[FLOW_PREFIX + name] = flow
    return flow


def end_flow(name: str) -> None:
    session.pop(FLOW_PREFIX + name, None)


def send_code(
    db: Session,
    *,
    flow: dict[str, Any],
    purpose: str,
    subject_key: str,
    channel: str,
    destination: str,
    person_id: int | None,
    previous_undelivered: bool = False,
    dispatch: bool = True,
) -> SendOutcome:
    """Issue a code for ``flow`` and send it; the caller commits ``db``.

    ``previous_undelivered``: the flow's last code is still stuck in the
    outbox, so a code by another channel may be sent without the resend wait.
    The message is handed to the worker once ``db`` commits; ``dispatch=False``
    leaves the hand-off to the caller, after its response
    (``messaging.dispatch_after_response``), when even that must not show in
    the answer's time.
    """
    try:
        issued = codes().issue(
            db,
            purpose=purpose,
            flow_id=flow["id"],
            subject_key=subject_key,
            channel=channel,
            destination=destination,
            previous_undelivered=previous_undelivered,
        )
    except CodeRefused as refused:
        return SendOutcome(refused=refused)
    language = language_code()
    body = code_message(issued.code, purpose, language, webotp_host=webotp_host_from_config(current_app.config))
    subject = code_subject(purpose, language) if channel == "email" else None
    message = queue_message(
        db,
        channel=channel,
        recipient=destination,
        body=body,
        purpose=purpose,
        subject=subject,
        person_id=person_id,
        dispatch=dispatch,
    )
    db.flush()
    codes().record_message(db, issued.code_id, message.id)
    record(db, AuditEvents.CODE_SENT, person_id=person_id, purpose=purpose, channel=channel)
    return SendOutcome(message_id=message.id)


def code_delayed(flow: dict[str, Any] | None) -> bool:
    """Whether the flow's latest code is stuck: a provider refused it at least once and it has not gone out.

    Asked when the code page is shown, not when the code is sent: the send
    happens in the worker after the answer, so only the outbox knows.
    """
    message_id = (flow or {}).get("message_id")
    if not message_id:
        return False
    db = current_app.extensions["gateway"].db_session()
    row = db.execute(select(OutboxMessage.status, OutboxMessage.attempts).where(OutboxMessage.id == message_id)).first()
    return row is not None and row.status != SENT and row.attempts > 0


def check_code(db: Session, *, flow: dict[str, Any], purpose: str, code: str, person_id: int | None) -> VerifyResult:
    """Verify ``code``; the caller has already refused entries that are not the right number of digits."""
    result = codes().verify(db, purpose=purpose, flow_id=flow["id"], code=code)
    if result is not VerifyResult.OK:
        record(db, AuditEvents.CODE_FAILED, person_id=person_id, purpose=purpose, result=str(result.name))
    return result
