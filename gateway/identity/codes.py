"""Sending and checking the one-time codes of the account flows.

A flow (registration, sign-in, recovery, contact change) keeps a random id
in the server-side session; every code is bound to that id and to the flow's
purpose. Sending queues the message in the outbox and tries to deliver it at
once; if the provider is down the message stays queued (it will be retried)
and the person is told the code is delayed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app, session
from sqlalchemy.orm import Session

from ..audit.log import AuditEvents, record
from ..i18n import language_code
from ..messaging.outbox import queue_message
from ..otp.messages import code_message, code_subject, webotp_host_from_config
from ..otp.service import CodeRefused, OneTimeCodes, VerifyResult

FLOW_PREFIX = "flow:"


@dataclass(frozen=True)
class SendOutcome:
    """What happened to a code: sent now, queued for a retry, or refused (too soon / too many)."""

    delivered: bool
    refused: CodeRefused | None = None
    message_id: int | None = None
    """The queued message, when the caller chose to send it itself (``send_now=False``)."""


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
    send_now: bool = True,
) -> SendOutcome:
    """Issue a code for ``flow`` and send it; the caller commits ``db``.

    ``previous_undelivered``: the flow's last code is still stuck in the
    outbox, so a code by another channel may be sent without the resend wait.
    ``send_now=False`` only queues it: the caller sends it after its response
    (``messaging.send_after_response``) when the provider's latency must not
    show in the answer.
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
        return SendOutcome(delivered=False, refused=refused)
    language = language_code()
    body = code_message(issued.code, purpose, language, webotp_host=webotp_host_from_config(current_app.config))
    subject = code_subject(purpose, language) if channel == "email" else None
    message = queue_message(
        db, channel=channel, recipient=destination, body=body, purpose=purpose, subject=subject, person_id=person_id
    )
    db.flush()
    codes().record_message(db, issued.code_id, message.id)
    record(db, AuditEvents.CODE_SENT, person_id=person_id, purpose=purpose, channel=channel)
    if not send_now:
        return SendOutcome(delivered=False, message_id=message.id)
    delivered = current_app.extensions["gateway.messenger"].send_now(db, message)
    if not delivered:
        record(db, AuditEvents.CODE_DELIVERY_FAILED, person_id=person_id, purpose=purpose, channel=channel)
    return SendOutcome(delivered=delivered)


def check_code(db: Session, *, flow: dict[str, Any], purpose: str, code: str, person_id: int | None) -> VerifyResult:
    """Verify ``code``; the caller has already refused entries that are not the right number of digits."""
    result = codes().verify(db, purpose=purpose, flow_id=flow["id"], code=code)
    if result is not VerifyResult.OK:
        record(db, AuditEvents.CODE_FAILED, person_id=person_id, purpose=purpose, result=str(result.name))
    return result
