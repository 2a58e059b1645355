"""One-time codes a plugin sends to the signed-in person's own mobile or email (``sdk.send_code``).

The plugin names a purpose (``gosi_activation``); the host issues the code
with the same service, throttles and outbox as its own account flows, bound
to a flow kept in the person's session for that purpose, and sends it only
to the shared identity's mobile or (verified) email, so a plugin can never
send a code to an address it chose.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk.codes import CodeSent
from bawaba_sdk.validators.phone import mask_mobile

from ..otp.purposes import person_key
from .codes import check_code, get_flow, send_code, start_flow, update_flow
from .current import current_person_record
from .models import Account

FLOW_PREFIX = "plugin_code:"


def _flow_name(purpose: str) -> str:
    return f"{FLOW_PREFIX}{purpose}"


def send_person_code(db: Session, purpose: str, channel: str) -> CodeSent:
    """Issue and queue a code for ``purpose`` to the signed-in person's ``channel``; commits."""
    person = current_person_record()
    if person is None:
        raise RuntimeError("sdk.send_code needs a signed-in person")
    if channel == "email":
        account = db.scalars(select(Account).where(Account.person_id == person.id)).first()
        verified = account is not None and account.email_verified
        if not person.email or not verified:
            return CodeSent(sent=False, no_address=True)
        destination = person.email
        local, _, domain = destination.partition("@")
        shown = f"{local[:1]}•••@{domain}"
    else:
        destination = person.mobile
        shown = mask_mobile(destination)
    flow = get_flow(_flow_name(purpose)) or start_flow(_flow_name(purpose))
    outcome = send_code(
        db,
        flow=flow,
        purpose=purpose,
        subject_key=person_key(person.id),
        channel=channel,
        destination=destination,
        person_id=person.id,
    )
    if outcome.refused is not None:
        db.rollback()
        return CodeSent(sent=False, destination=shown, retry_after=outcome.refused.retry_after)
    update_flow(_flow_name(purpose), message_id=outcome.message_id)
    db.commit()
    return CodeSent(sent=True, destination=shown)


def check_person_code(db: Session, purpose: str, code: str) -> str:
    """The verdict on ``code`` for the signed-in person's flow of ``purpose`` (``no_code`` without one)."""
    person = current_person_record()
    flow = get_flow(_flow_name(purpose))
    if person is None or flow is None:
        return "no_code"
    result = check_code(db, flow=flow, purpose=purpose, code=code, person_id=person.id)
    db.commit()
    return str(result.value)
