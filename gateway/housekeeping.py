"""Deleting what has served its purpose: one function for ``gateway housekeeping`` and the periodic jobs.

Kept apart from the CLI so the worker's jobs (``gateway/jobs.py``) and the
command an operator runs by hand do exactly the same work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import CursorResult, delete

from .documents import purge_orphans
from .forms import purge_stale_drafts
from .host import GatewayHost
from .messaging.models import OutboxMessage
from .oidc.purge import purge_expired as purge_oidc_rows
from .otp.service import EXTENSION_KEY as OTP_EXTENSION
from .sessions import session_interface

KEEP_MESSAGES_DAYS = 30
ORPHAN_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class HousekeepingReport:
    """How many rows of each kind went."""

    sessions: int
    codes: int
    messages: int
    oidc_tokens: int
    oidc_codes: int
    oidc_nonces: int


def _host(app: Flask) -> GatewayHost:
    host: GatewayHost = app.extensions["gateway"]
    return host


def housekeep(
    app: Flask, *, now: datetime | None = None, keep_messages_days: int = KEEP_MESSAGES_DAYS
) -> HousekeepingReport:
    """Delete expired sessions and codes, delivered or failed messages, and OIDC rows past any use."""
    now = now or datetime.now(UTC)
    sessions_removed = session_interface(app).store.purge_expired(now)
    with _host(app).database.session_factory() as db:
        codes_removed = app.extensions[OTP_EXTENSION].purge_expired(db, timedelta(days=1), now=now)
        result: CursorResult[Any] = db.execute(  # type: ignore[assignment]
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(("sent", "failed")),
                OutboxMessage.created_at < now - timedelta(days=keep_messages_days),
            )
        )
        oidc = purge_oidc_rows(db, refresh_token_days=app.config["GATEWAY_OIDC_REFRESH_TOKEN_DAYS"], now=now)
        db.commit()
    return HousekeepingReport(
        sessions_removed, codes_removed, int(result.rowcount or 0), oidc.tokens, oidc.codes, oidc.nonces
    )


def purge_drafts(app: Flask, *, now: datetime | None = None, days: int | None = None) -> int:
    """Delete drafts untouched for ``days`` (``GATEWAY_DRAFT_RETENTION_DAYS`` by default); how many went."""
    retention = days if days is not None else int(app.config["GATEWAY_DRAFT_RETENTION_DAYS"])
    with _host(app).database.session_factory() as db:
        count = purge_stale_drafts(db, retention, now=now)
        db.commit()
    return count


def purge_orphan_files(app: Flask, *, now: datetime | None = None, older_than: timedelta = ORPHAN_GRACE) -> int:
    """Delete stored files no document row refers to, older than ``older_than``; how many went."""
    with _host(app).database.session_factory() as db:
        return len(purge_orphans(db, app.extensions["gateway.documents"], older_than, now=now))
