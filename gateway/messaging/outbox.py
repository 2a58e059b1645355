"""The outbox API the rest of the portal calls: queue a message, deliver it, retry what is due.

Transactions: :func:`queue_message` and :func:`deliver` only add and flush;
the caller commits, so a code and the message carrying it are saved together
(or not at all). Once committed, a message is dispatched (``dispatch.py``):
handed to a task of ``gateway worker`` (or, for the sandboxes, which cannot
stall, delivered at once). :func:`deliver_due` is the periodic sweep and owns
its transaction: it commits after each message, so a crash half-way loses no
recorded delivery. Every attempt first claims its message
(:func:`claim_message`), so no row lock is held while a provider is called and
no two workers ever send one message.

Retries: a failed attempt schedules the next one ``base * 2**(attempts-1)``
seconds later, capped at ``max``, with no jitter, so tests and operators can
predict exactly when a message will be tried again. After ``max_attempts``
the message is marked ``failed``; until then nothing is ever dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

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
    dispatch: bool = True,
) -> OutboxMessage:
    """Add a message to the outbox, due at once; the caller commits.

    Once the caller's transaction commits, the message is handed to the
    worker (``dispatch.py``), so nothing in the request waits for a
    provider. ``dispatch=False`` leaves that to the caller (a recovery code,
    handed off only after the answer has gone out) or to the periodic sweep.

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
    if dispatch:
        session.info.setdefault(TO_DISPATCH_KEY, []).append(message)
    return message


TO_DISPATCH_KEY = "gateway.outbox.to_dispatch"
"""Where a session keeps the messages to hand to the worker once its transaction commits."""


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


DEFAULT_LEASE_SECONDS = 300
"""How long a claimed message is left to its claimant before anyone else may try it (longer than any send)."""


def claim_message(
    session: Session, message_id: int, now: datetime, *, lease_seconds: int = DEFAULT_LEASE_SECONDS
) -> OutboxMessage | None:
    """Take a due, queued message for one attempt; commits; ``None`` if it is not due or someone has it.

    The claim is one conditional ``UPDATE`` that moves ``next_attempt_at``
    past the lease: whoever's update matches the row sends it, everyone else
    (another worker's sweep, a delivery task, the request's own inline send)
    finds it not due. It works alike on SQLite and PostgreSQL, and no row
    lock is held while the provider is called. If the claimant dies
    mid-send, the message is due again when the lease ends.
    """
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if getattr(result, "rowcount", 0) != 1:
        return None
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    session.commit()  # end the read too: nothing is held in the database while the provider is called
    return message


def deliver_due(
    session: Session,
    senders: Mapping[str, Sender],
    now: datetime | None = None,
    *,
    limit: int = 100,
    max_attempts: int,
    base_delay: int,
    max_delay: int,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
) -> DeliveryReport:
    """Attempt every queued message due by ``now``, oldest first, at most ``limit``; commits each.

    Each message is claimed first (:func:`claim_message`), so any number of
    workers, and the delivery tasks, share the queue on SQLite as on
    PostgreSQL and never send one message twice. Any transaction already open
    on ``session`` is committed by the first claim.
    """
    now = as_utc(now) if now is not None else utc_now()
    report = DeliveryReport()
    attempted: list[int] = []
    while len(attempted) < limit:
        query = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(1)
        )
        if attempted:  # never twice in one pass, whatever the clocks say
            query = query.where(OutboxMessage.id.not_in(attempted))
        message_id = session.scalar(query)
        if message_id is None:
            break
        attempted.append(message_id)
        message = claim_message(session, message_id, now, lease_seconds=lease_seconds)
        if message is None:
            continue  # taken by another worker between the look and the claim
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

    def __init__(
        self,
        senders: Mapping[str, Sender],
        *,
        max_attempts: int,
        base_delay: int,
        max_delay: int,
        lease_seconds: int = DEFAULT_LEASE_SECONDS,
    ) -> None:
        self.senders = dict(senders)
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.lease_seconds = lease_seconds

    @classmethod
    def from_app(cls, app: Flask) -> Messenger:
        return cls.from_config(app.config)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Messenger:
        """Senders and retry policy from ``GATEWAY_*`` keys (raises ``ConfigError``)."""
        longest_send = max(
            int(config_value(config, "SMS_HTTP_TIMEOUT_SECONDS")), int(config_value(config, "SMTP_TIMEOUT_SECONDS"))
        )
        return cls(
            senders_from_config(config),
            max_attempts=int(config_value(config, "OUTBOX_MAX_ATTEMPTS")),
            base_delay=int(config_value(config, "OUTBOX_RETRY_BASE_SECONDS")),
            max_delay=int(config_value(config, "OUTBOX_RETRY_MAX_SECONDS")),
            lease_seconds=2 * longest_send + 60,
        )

    def delivers_inline(self, channel: str) -> bool:
        """Whether ``channel``'s sender cannot stall (a sandbox), so a message may be delivered in the request."""
        return bool(getattr(self.senders.get(channel), "delivers_inline", False))

    def attempt(self, session: Session, message_id: int, now: datetime | None = None) -> OutboxMessage | None:
        """Claim ``message_id`` and make one attempt; commits. ``None``: not due, already sent, or someone has it."""
        now = as_utc(now) if now is not None else utc_now()
        message = claim_message(session, message_id, now, lease_seconds=self.lease_seconds)
        if message is None:
            return None
        self.send_now(session, message, now)
        session.commit()
        return message

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
            lease_seconds=self.lease_seconds,
        )


def get_messenger(app: Flask) -> Messenger:
    """The app's :class:`Messenger`, built on first use if ``init_messaging`` has not run."""
    messenger = app.extensions.get(MESSENGER_EXTENSION)
    if messenger is None:
        messenger = Messenger.from_app(app)
        app.extensions[MESSENGER_EXTENSION] = messenger
    assert isinstance(messenger, Messenger)
    return messenger
