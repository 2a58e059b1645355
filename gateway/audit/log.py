"""Writing to the audit log.

``record`` never stores a password, code or token: callers pass only what an
investigator needs (which account, which channel, which outcome), and keys
that look like secrets are dropped as a second line of defence.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from .models import AuditEvent

logger = logging.getLogger("gateway.audit")

FORBIDDEN_DETAIL_KEYS = frozenset({"password", "code", "token", "secret", "otp", "hash", "access_token"})


class AuditEvents:
    """The names of the events the portal records (one place to read them all)."""

    REGISTRATION_STARTED = "registration.started"
    REGISTRATION_REGISTRY_MISMATCH = "registration.registry_mismatch"
    REGISTRATION_COMPLETED = "registration.completed"
    REGISTRATION_EXISTING_ACCOUNT = "registration.existing_account"
    SIGN_IN_SUCCEEDED = "sign_in.succeeded"
    SIGN_IN_FAILED = "sign_in.failed"
    SIGN_IN_LOCKED = "sign_in.locked"
    SIGN_IN_SPRAYING = "alert.password_spraying"
    STAFF_SIGN_IN_FAILED = "backoffice.sign_in_failed"
    SIGNED_OUT = "sign_in.signed_out"
    CODE_SENT = "code.sent"
    CODE_FAILED = "code.failed"
    CODE_DELIVERY_FAILED = "code.delivery_failed"
    PASSWORD_CHANGED = "account.password_changed"
    PASSWORD_RESET = "account.password_reset"
    RECOVERY_REQUESTED = "account.recovery_requested"
    CONTACT_CHANGED = "account.contact_changed"
    ACCESS_DENIED = "access.denied"
    ROLLED_BACK = "request.rolled_back"
    OIDC_TOKEN_ISSUED = "oidc.token_issued"
    OIDC_CODE_REUSED = "oidc.code_reused"
    OIDC_TOKEN_REVOKED = "oidc.token_revoked"


def record(
    session: Session, event: str, *, person_id: int | None = None, actor: str | None = None, **details: Any
) -> AuditEvent:
    """Add an audit event to ``session`` (the caller commits with its own change)."""
    safe_details = {key: value for key, value in details.items() if key.lower() not in FORBIDDEN_DETAIL_KEYS}
    entry = AuditEvent(
        event=event,
        person_id=person_id,
        actor=actor or (f"person:{person_id}" if person_id is not None else "anonymous"),
        address=request.remote_addr if has_request_context() else None,
        request_id=g.get("request_id") if has_request_context() else None,
        details=safe_details,
    )
    session.add(entry)
    logger.info("audit %s person=%s %s", event, person_id, safe_details)
    return entry
