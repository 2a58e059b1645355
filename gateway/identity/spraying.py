"""Password spraying: many different accounts failing from one network address, raised as an alert.

An attacker who tries one or two common passwords against many ID numbers
never trips an account's lock, and may stay under the address's lock for a
while. Each failed sign-in (citizen or staff) is audited with ``tried``, a
keyed digest of the identifier typed (the raw ID number or username is not
written); when ``SIGNIN_SPRAY_ACCOUNTS`` different ones have failed from one
address within ``SIGNIN_SPRAY_MINUTES``, the audit log gets one
``alert.password_spraying`` event for that address and window, and the log a
warning for whoever watches it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.log import AuditEvents, record
from ..audit.models import AuditEvent

logger = logging.getLogger("gateway.security")

FAILED_SIGN_IN_EVENTS = (AuditEvents.SIGN_IN_FAILED, AuditEvents.STAFF_SIGN_IN_FAILED)


def tried_digest(kind: str, identifier: str) -> str:
    """A keyed digest of what was typed: tells accounts apart in the log without naming them."""
    key = str(current_app.secret_key or "").encode()
    return hmac.new(key, f"sign-in:{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()[:16]


def watch_for_spraying(db: Session, *, address: str | None, tried: str, now: datetime) -> bool:
    """Before a failure with ``tried`` from ``address`` is recorded: raise the alert if the address is spraying.

    Returns True when this failure raised it (once per address and window).
    """
    threshold: int = current_app.config["GATEWAY_SIGNIN_SPRAY_ACCOUNTS"]
    minutes: int = current_app.config["GATEWAY_SIGNIN_SPRAY_MINUTES"]
    since = now - timedelta(minutes=minutes)
    recent = select(AuditEvent.event, AuditEvent.details).where(
        AuditEvent.address == address,
        AuditEvent.occurred_at >= since,
        AuditEvent.event.in_([*FAILED_SIGN_IN_EVENTS, AuditEvents.SIGN_IN_SPRAYING]),
    )
    accounts = {tried}
    for event, details in db.execute(recent):
        if event == AuditEvents.SIGN_IN_SPRAYING:
            return False  # already raised for this address in this window
        if isinstance(details, dict) and isinstance(details.get("tried"), str):
            accounts.add(details["tried"])
    if len(accounts) < threshold:
        return False
    record(db, AuditEvents.SIGN_IN_SPRAYING, accounts=len(accounts), window_minutes=minutes)
    logger.warning(
        "password spraying suspected: %s different accounts failed from %s in %s minutes",
        len(accounts),
        address,
        minutes,
    )
    return True
