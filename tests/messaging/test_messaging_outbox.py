"""The outbox itself: queueing, one delivery attempt, back-off, giving up, the worker's pass."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from gateway.database import Base
from gateway.messaging import (
    MESSENGER_EXTENSION,
    DeliveryError,
    Messenger,
    OutboxMessage,
    OutboxSmsSender,
    deliver,
    deliver_due,
    get_messenger,
    init_messaging,
    queue_message,
    retry_delay,
)
from gateway.messaging.base import require_saudi_mobile

MOBILE = "+966501234567"
POLICY = {"max_attempts": 4, "base_delay": 15, "max_delay": 100}


def session_of(app: Flask) -> Session:
    session: Session = app.extensions["gateway"].database.session_factory()
    return session


class FlakySender:
    """A real Sender that fails a given number of times, then succeeds."""

    def __init__(self, failures: int = 0, reason: str = "provider answered HTTP 503") -> None:
        self.failures = failures
        self.reason = reason
        self.sent: list[int] = []

    def send(self, message: OutboxMessage) -> str | None:
        require_saudi_mobile(message.recipient)  # as every SMS adapter does
        if self.failures > 0:
            self.failures -= 1
            raise DeliveryError(self.reason)
        self.sent.append(message.id)
        return f"flaky-{message.id}"


def test_queue_then_deliver_with_the_sandbox(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    with session_of(app) as session:
        message = queue_message(
            session, channel="sms", recipient="0501234567", body="رمز التحقق: 123456", purpose="registration"
        )
        session.commit()
        assert message.recipient == MOBILE  # any common spelling is stored in E.164
        assert (message.status, message.attempts) == ("queued", 0)
        assert message.next_attempt_at <= datetime.now(UTC)

        assert app.extensions[MESSENGER_EXTENSION].send_now(session, message) is True
        session.commit()

    with session_of(app) as session:
        stored = session.get(OutboxMessage, message.id)
        assert stored is not None
        assert (stored.status, stored.attempts, stored.last_error) == ("sent", 1, None)
        assert stored.body == "رمز التحقق: 123456"
        assert stored.sent_at is not None and stored.sent_at.tzinfo is not None
        assert stored.created_at.utcoffset() == timedelta(0)


def test_queue_message_leaves_the_commit_to_the_caller(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    with session_of(app) as session:
        queue_message(session, channel="email", recipient="a@example.com", subject="Hi", body="x", purpose="sign_in")
        session.rollback()
    with session_of(app) as session:
        assert session.query(OutboxMessage).count() == 0


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"channel": "fax", "recipient": MOBILE}, "channel"),
        ({"channel": "sms", "recipient": MOBILE, "subject": "Hello"}, "subject"),
        ({"channel": "sms", "recipient": MOBILE, "purpose": ""}, "purpose"),
        ({"channel": "sms", "recipient": MOBILE, "purpose": "x" * 33}, "purpose"),
    ],
)
def test_queue_message_refuses_programming_mistakes(
    outbox_app: Callable[..., Flask], arguments: dict[str, str], problem: str
) -> None:
    app = outbox_app()
    with session_of(app) as session, pytest.raises(ValueError, match=problem):
        queue_message(session, **{"body": "b", "purpose": "sign_in", **arguments})  # type: ignore[arg-type]


def test_retry_delays_double_from_the_base_up_to_the_cap() -> None:
    delays = [retry_delay(n, base_delay=15, max_delay=100).total_seconds() for n in range(1, 7)]
    assert delays == [15, 30, 60, 100, 100, 100]
    assert retry_delay(500, base_delay=15, max_delay=1800) == timedelta(seconds=1800)


def test_failed_attempts_back_off_then_the_message_is_marked_failed(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    sender = FlakySender(failures=10)
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    with session_of(app) as session:
        message = queue_message(session, channel="sms", recipient=MOBILE, body="code 111111", purpose="sign_in")
        now = start
        scheduled = []
        for _ in range(3):
            assert deliver(session, message, {"sms": sender}, now, **POLICY) is False
            scheduled.append(message.next_attempt_at - now)
            now = message.next_attempt_at
        assert scheduled == [timedelta(seconds=15), timedelta(seconds=30), timedelta(seconds=60)]
        assert (message.status, message.attempts) == ("queued", 3)
        assert message.last_error == "provider answered HTTP 503"

        assert deliver(session, message, {"sms": sender}, now, **POLICY) is False
        assert (message.status, message.attempts) == ("failed", 4)
        session.commit()
        # a failed message is not attempted again, however late it gets
        report = deliver_due(session, {"sms": sender}, now + timedelta(days=30), **POLICY)
        assert report.attempted == 0
        assert deliver(session, message, {"sms": sender}, now, **POLICY) is False
        assert message.attempts == 4


def test_deliver_due_sends_what_is_due_oldest_first_and_respects_the_limit(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    sender = FlakySender()
    with session_of(app) as session:
        messages = []
        for index in range(3):
            message = queue_message(session, channel="sms", recipient=MOBILE, body=f"m{index}", purpose="notification")
            message.created_at = message.next_attempt_at = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=index)
            messages.append(message)
        later = queue_message(session, channel="sms", recipient=MOBILE, body="later", purpose="notification")
        later.next_attempt_at = datetime(2030, 1, 2, tzinfo=UTC)
        session.commit()
        ids = [message.id for message in messages]

        first = deliver_due(session, {"sms": sender}, datetime(2030, 1, 1, 1, tzinfo=UTC), limit=2, **POLICY)
        assert first.sent == ids[:2]
        second = deliver_due(session, {"sms": sender}, datetime(2030, 1, 1, 1, tzinfo=UTC), **POLICY)
        assert second.sent == ids[2:]
        assert str(second) == "1 due: 1 sent, 0 to be retried, 0 failed"
        assert sender.sent == ids  # "later" was not due yet

    with session_of(app) as session:
        statuses = dict(session.execute(text("SELECT body, status FROM outbox_messages")).all())
        assert statuses == {"m0": "sent", "m1": "sent", "m2": "sent", "later": "queued"}


def test_deliver_due_reports_retries_and_failures(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    with session_of(app) as session:
        will_retry = queue_message(
            session, channel="sms", recipient=MOBILE, body="a", purpose="sign_in", dispatch=False
        )
        not_mobile = queue_message(
            session, channel="sms", recipient="0112345678", body="b", purpose="sign_in", dispatch=False
        )
        session.commit()
        report = deliver_due(session, {"sms": FlakySender(failures=1)}, **POLICY)
        assert report.retrying == [will_retry.id]
        assert report.failed == [not_mobile.id]
        assert report.sent == []


def test_a_landline_never_gets_a_code(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    messenger = get_messenger(app)
    with session_of(app) as session:
        message = queue_message(session, channel="sms", recipient="0112345678", body="123456", purpose="sign_in")
        assert messenger.send_now(session, message) is False
        # refused for good at once: retrying cannot turn a landline into a mobile
        assert (message.status, message.attempts) == ("failed", 1)
        assert message.last_error == "recipient is not a Saudi mobile number"


def test_an_unexpected_exception_in_a_sender_is_a_failed_attempt_not_a_crash(
    outbox_app: Callable[..., Flask],
) -> None:
    class BrokenSender:
        def send(self, message: OutboxMessage) -> str | None:
            raise KeyError("bug in an adapter")

    app = outbox_app()
    with session_of(app) as session:
        message = queue_message(session, channel="sms", recipient=MOBILE, body="123456", purpose="sign_in")
        assert deliver(session, message, {"sms": BrokenSender()}, **POLICY) is False
        assert (message.status, message.attempts, message.last_error) == ("queued", 1, "unexpected KeyError")


def test_the_error_never_stores_the_body(outbox_app: Callable[..., Flask]) -> None:
    class EchoingSender:
        def send(self, message: OutboxMessage) -> str | None:
            raise DeliveryError(f"rejected text:\n{message.body}")

    app = outbox_app()
    with session_of(app) as session:
        body = "Your Bawaba code is 482913.\nDo not share it."
        message = queue_message(session, channel="sms", recipient=MOBILE, body=body, purpose="sign_in")
        deliver(session, message, {"sms": EchoingSender()}, **POLICY)
        assert message.last_error == "rejected text: [body]"
        assert "482913" not in (message.last_error or "")


def test_a_channel_without_a_sender_fails_clearly(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    with session_of(app) as session:
        message = queue_message(session, channel="email", recipient="a@example.com", body="x", purpose="sign_in")
        assert deliver(session, message, {"sms": OutboxSmsSender()}, **POLICY) is False
        assert message.status == "failed"
        assert message.last_error == "no sender configured for channel 'email'"


def test_send_now_does_not_resend_a_sent_message(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    sender = FlakySender()
    messenger = Messenger({"sms": sender}, **POLICY)
    with session_of(app) as session:
        message = queue_message(session, channel="sms", recipient=MOBILE, body="x", purpose="sign_in")
        assert messenger.send_now(session, message) is True
        assert messenger.send_now(session, message) is True
        assert sender.sent == [message.id]
        assert message.provider_message_id == f"flaky-{message.id}"


def test_init_messaging_uses_the_configured_retry_policy_and_is_idempotent(make_app: Callable[..., Flask]) -> None:
    app = make_app(OUTBOX_MAX_ATTEMPTS="3", OUTBOX_RETRY_BASE_SECONDS="2", OUTBOX_RETRY_MAX_SECONDS="9")
    messenger = init_messaging(app)
    assert init_messaging(app) is messenger
    assert get_messenger(app) is messenger
    assert (messenger.max_attempts, messenger.base_delay, messenger.max_delay) == (3, 2, 9)
    assert sorted(messenger.senders) == ["email", "sms"]


def test_the_migration_matches_the_model(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    engine = app.extensions["gateway"].database.engine

    def only_the_outbox(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "outbox_messages"

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": only_the_outbox, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        checks = {check["name"] for check in inspect(connection).get_check_constraints("outbox_messages")}
    assert {"ck_outbox_messages_channel", "ck_outbox_messages_status"} <= checks


def test_two_workers_never_send_one_message_twice(outbox_app: Callable[..., Flask]) -> None:
    """Each message is claimed before its attempt, on SQLite as on PostgreSQL, and no lock is held while sending."""
    app = outbox_app()
    with session_of(app) as session:
        first = queue_message(session, channel="sms", recipient=MOBILE, body="first", purpose="sign_in", dispatch=False)
        second = queue_message(
            session, channel="sms", recipient=MOBILE, body="second", purpose="sign_in", dispatch=False
        )
        first.created_at = first.created_at - timedelta(seconds=1)
        session.commit()
        first_id, second_id = first.id, second.id

    sent: list[tuple[str, int]] = []
    reports = {}

    class PlainSender:
        def __init__(self, worker: str) -> None:
            self.worker = worker

        def send(self, message: OutboxMessage) -> str | None:
            sent.append((self.worker, message.id))
            return None

    class SenderThatLetsTheOtherWorkerRun(PlainSender):
        def send(self, message: OutboxMessage) -> str | None:
            if not reports:  # while worker A holds its first message, worker B runs a whole pass
                thread = threading.Thread(target=worker_b)
                thread.start()
                thread.join(timeout=10)
            return super().send(message)

    def worker_b() -> None:
        with session_of(app) as other:
            reports["b"] = deliver_due(other, {"sms": PlainSender("b")}, **POLICY)

    with session_of(app) as session:
        report_a = deliver_due(session, {"sms": SenderThatLetsTheOtherWorkerRun("a")}, **POLICY)

    assert sorted(sent) == [("a", first_id), ("b", second_id)]
    assert report_a.sent == [first_id]
    assert reports["b"].sent == [second_id]
