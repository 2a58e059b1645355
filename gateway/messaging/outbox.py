"""The outbox API the rest of the portal calls: queue a message, deliver it, retry what is due.

Transactions: :func:`queue_message` and :func:`deliver` only add and flush;
the caller commits, so a code and the message carrying it are saved together
(or not at all). :func:`deliver_due` is the worker's loop and owns its
transaction: it commits after each message, so a crash half-way loses no
recorded delivery and a row lock is held only while that one message is sent.

Retries: a failed attempt schedules the next one ``base * 2**(attempts-1)``
seconds later, capped at ``max``, with no jitter, so tests and operators can
predict exactly when a message will be tried again. After ``max_attempts``
the message is marked ``failed``; until then nothing is ever dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bawaba_sdk.validators import is_saudi_mobile, normalize_saudi_mobile

from .base import DeliveryError, Sender
from .channels import config_value, senders_from_config
from .models import (
    CHANNELS,
    FAILED,
    LAST_ERROR_LENGTH,
    PURPOSE_LENGTH,
    QUEUED,
    SENT,
    SMS,
    OutboxMessage,
    as_utc,
    utc_now,
)

logger = logging.getLogger("gateway.messaging")

MESSENGER_EXTENSION = "gateway.messenger"
"""Where :func:`init_messaging` keeps the app's :class:`Messenger` in ``app.extensions``."""


def queue_message(
    session: Session,
    *,
    channel: str,
    recipient: str,
    body: str,
    purpose: str,
    subject: str | None = None,
    person_id: int | None = None,
) -> OutboxMessage:
    """Add a message to the outbox, due at once; the caller commits.

    A Saudi mobile number in any common form is stored in E.164, so the
    outbox, the provider and the per-address caps all see one spelling. A
    recipient that is not a mobile is kept as given and refused at sending
    time (the attempt is recorded, so the refusal is visible).
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if channel == SMS and subject is not None:
        raise ValueError("an SMS has no subject")
    if not purpose or len(purpose) > PURPOSE_LENGTH:
        raise ValueError(f"purpose must be 1 to {PURPOSE_LENGTH} characters")
    recipient = recipient.strip()
    if channel == SMS and is_saudi_mobile(recipient):
        recipient = normalize_saudi_mobile(recipient)
    now = utc_now()
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        purpose=purpose,
        person_id=person_id,
        status=QUEUED,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def retry_delay(attempts: int, *, base_delay: int, max_delay: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1, 2, 3...)."""
    exponent = max(attempts - 1, 0)
    seconds = max_delay if exponent >= 32 else min(base_delay * 2**exponent, max_delay)
    return timedelta(seconds=seconds)


SECRET_PURPOSES = frozenset({"registration", "sign_in", "password_reset", "contact_change"})
"""Messages that carry a one-time code: their text is removed once a real provider has it."""
REDACTED_BODY = "(one-time code delivered; the text is not kept)"


def deliver(
    session: Session,
    message: OutboxMessage,
    senders: Mapping[str, Sender],
    now: datetime | None = None,
    *,
    max_attempts: int,
    base_delay: int,
    max_delay: int,
) -> bool:
    """Make one delivery attempt of a queued ``message``; return whether it was delivered.

    Flushes but does not commit. A message that is no longer queued is not
    sent again (``True`` if it was already sent). An unexpected exception from
    a sender counts as a failed attempt rather than escaping, so one broken
    adapter can neither crash the worker nor turn a sign-in into a 500.
    """
    if message.status != QUEUED:
        return message.status == SENT
    now = as_utc(now) if now is not None else utc_now()
    if message.id is None:
        session.flush()  # the provider gets the outbox id as its reference
    sender = senders.get(message.channel)
    try:
        if sender is None:
            raise DeliveryError(f"no sender configured for channel {message.channel!r}", permanent=True)
        provider_id = sender.send(message)
    except DeliveryError as exc:
        _record_failure(message, exc.reason, exc.permanent, now, max_attempts, base_delay, max_delay)
    except Exception as exc:
        logger.exception("outbox message %s: the %s sender raised unexpectedly", message.id, message.channel)
        _record_failure(message, f"unexpected {type(exc).__name__}", False, now, max_attempts, base_delay, max_delay)
    else:
        message.attempts += 1
        message.status = SENT
        message.sent_at = now
        message.provider_message_id = provider_id
        if getattr(sender, "keeps_messages", False) is False and message.purpose in SECRET_PURPOSES:
            message.body = REDACTED_BODY  # the code has left; no copy of it stays behind
        logger.info("outbox message %s (%s, %s) sent", message.id, message.channel, message.purpose)
    session.flush()
    return message.status == SENT


def _record_failure(
    message: OutboxMessage,
    reason: str,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    base_delay: int,
    max_delay: int,
) -> None:
    message.attempts += 1
    message.last_error = _safe_reason(reason, message)
    if permanent or message.attempts >= max_attempts:
        message.status = FAILED
        logger.warning(
            "outbox message %s (%s, %s) failed after %s attempt(s): %s",
            message.id,
            message.channel,
            message.purpose,
            message.attempts,
            message.last_error,
        )
        return
    message.next_attempt_at = now + retry_delay(message.attempts, base_delay=base_delay, max_delay=max_delay)
    logger.warning(
        "outbox message %s (%s, %s) attempt %s failed, retry at %s: %s",
        message.id,
        message.channel,
        message.purpose,
        message.attempts,
        message.next_attempt_at.isoformat(),
        message.last_error,
    )


def _safe_reason(reason: str, message: OutboxMessage) -> str:
    """The reason, one line and short, with the body cut out should a provider have echoed it."""
    text = " ".join(reason.split())
    body = " ".join(message.body.split())
    if body:
        text = text.replace(body, "[body]")
    return text[:LAST_ERROR_LENGTH] or "delivery failed"


@dataclass
class DeliveryReport:
    """What one pass over the due messages did (outbox ids in each list)."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)

    def __str__(self) -> str:
        return (
            f"{self.attempted} due: {len(self.sent)} sent, "
            f"{len(self.retrying)} to be retried, {len(self.failed)} failed"
        )


def deliver_due(
    session: Session,
    senders: Mapping[str, Sender],
    now: datetime | None = None,
    *,
    limit: int = 100,
    max_attempts: int,
    base_delay: int,
    max_delay: int,
) -> DeliveryReport:
    """Attempt every queued message due by ``now``, oldest first, at most ``limit``; commits each.

    On PostgreSQL each message is claimed with ``SELECT ... FOR UPDATE SKIP
    LOCKED``, so several workers share the queue and never send one message
    twice. SQLite has no row locks: run a single worker there (the demo set-up).
    Any transaction already open on ``session`` is committed by the first message.
    """
    now = as_utc(now) if now is not None else utc_now()
    report = DeliveryReport()
    attempted: list[int] = []
    lock = session.get_bind().dialect.name == "postgresql"
    while len(attempted) < limit:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(1)
            .execution_options(populate_existing=True)
        )
        if attempted:  # never twice in one pass, whatever the clocks say
            query = query.where(OutboxMessage.id.not_in(attempted))
        if lock:
            query = query.with_for_update(skip_locked=True)
        message = session.scalars(query).first()
        if message is None:
            break
        attempted.append(message.id)
        delivered = deliver(
            session, message, senders, now, max_attempts=max_attempts, base_delay=base_delay, max_delay=max_delay
        )
        session.commit()
        if delivered:
            report.sent.append(message.id)
        elif message.status == FAILED:
            report.failed.append(message.id)
        else:
            report.retrying.append(message.id)
    return report


def latest_messages(session: Session, limit: int = 20) -> list[OutboxMessage]:
    """The newest ``limit`` messages, newest first (for the CLI and the developer page)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(session.scalars(query))


class Messenger:
    """The outbox bound to one app's configuration: its senders and retry policy.

    Built once per app (``init_messaging``), because building senders
    validates the configuration: a missing SMTP host stops the boot instead
    of failing every email later.
    """

    def __init__(self, senders: Mapping[str, Sender], *, max_attempts: int, base_delay: int, max_delay: int) -> None:
        self.senders = dict(senders)
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    @classmethod
    def from_app(cls, app: Flask) -> Messenger:
        return cls.from_config(app.config)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Messenger:
        """Senders and retry policy from ``GATEWAY_*`` keys (raises ``ConfigError``)."""
        return cls(
            senders_from_config(config),
            max_attempts=int(config_value(config, "OUTBOX_MAX_ATTEMPTS")),
            base_delay=int(config_value(config, "OUTBOX_RETRY_BASE_SECONDS")),
            max_delay=int(config_value(config, "OUTBOX_RETRY_MAX_SECONDS")),
        )

    def send_now(self, session: Session, message: OutboxMessage, now: datetime | None = None) -> bool:
        """Try ``message`` straight away (a code should arrive in seconds); the caller commits.

        ``False`` means the provider failed this time: the message stays
        queued and the worker retries it, so the caller can tell the person
        their code is delayed (and offer email) rather than fail the request.
        """
        return deliver(
            session,
            message,
            self.senders,
            now,
            max_attempts=self.max_attempts,
            base_delay=self.base_delay,
            max_delay=self.max_delay,
        )

    def deliver_due(self, session: Session, now: datetime | None = None, *, limit: int = 100) -> DeliveryReport:
        """One pass of the worker (see :func:`deliver_due`); commits after each message."""
        return deliver_due(
            session,
            self.senders,
            now,
            limit=limit,
            max_attempts=self.max_attempts,
            base_delay=self.base_delay,
            max_delay=self.max_delay,
        )


def send_after_response(
    response: Response, app: Flask, session_factory: Callable[[], Session], message_id: int
) -> None:
    """Deliver a queued (and committed) message once ``response`` has gone out, not before.

    Why: when whether a message is sent at all is the secret (a recovery code
    goes only to an ID that has an account), the provider's latency must not
    be in the answer's time. The WSGI server closes the response after the
    last byte is written; delivery runs then, in its own app context and
    session. A failure is logged and left queued for the outbox worker.
    """

    def deliver_now() -> None:
        try:
            with app.app_context(), session_factory() as db:
                message = db.get(OutboxMessage, message_id)
                if message is not None and message.status == QUEUED:
                    get_messenger(app).send_now(db, message)
                    db.commit()
        except Exception:  # the person already has their answer; the worker retries
            logger.exception("outbox message %s could not be sent after the response", message_id)

    response.call_on_close(deliver_now)


def get_messenger(app: Flask) -> Messenger:
    """The app's :class:`Messenger`, built on first use if ``init_messaging`` has not run."""
    messenger = app.extensions.get(MESSENGER_EXTENSION)
    if messenger is None:
        messenger = Messenger.from_app(app)
        app.extensions[MESSENGER_EXTENSION] = messenger
    assert isinstance(messenger, Messenger)
    return messenger
