"""The HTTP SMS adapter against a real local HTTP server, including an outage and its recovery."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from flask import Flask
from messaging_servers import SMS_TOKEN, SmsProvider
from sqlalchemy.orm import Session

from gateway.messaging import DeliveryError, HttpSmsSender, OutboxMessage, get_messenger, queue_message

MOBILE = "+966501234567"
BODY = "رمز التحقق في بوابة: 482913. لا تشاركه مع أحد."


def sms_message(recipient: str = MOBILE, message_id: int = 7) -> OutboxMessage:
    return OutboxMessage(id=message_id, channel="sms", recipient=recipient, body=BODY, purpose="sign_in")


def sender_for(provider: SmsProvider, body_format: str = "json", timeout: float = 5.0) -> HttpSmsSender:
    return HttpSmsSender(
        url=provider.url, token=SMS_TOKEN, sender_name="Bawaba", body_format=body_format, timeout=timeout
    )


def test_json_post_with_bearer_token(sms_provider: SmsProvider) -> None:
    provider_id = sender_for(sms_provider).send(sms_message())
    assert provider_id == "provider-1"
    [request] = sms_provider.requests
    assert (request.method, request.path) == ("POST", "/send")
    assert request.headers["Authorization"] == f"Bearer {SMS_TOKEN}"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(request.body.decode("utf-8")) == {
        "to": MOBILE,
        "text": BODY,
        "sender": "Bawaba",
        "reference": "7",
    }


def test_form_encoded_post(sms_provider: SmsProvider) -> None:
    sms_provider.reply = {"message_id": 9041}
    assert sender_for(sms_provider, body_format="form").send(sms_message()) == "9041"
    [request] = sms_provider.requests
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"] == f"Bearer {SMS_TOKEN}"
    assert parse_qs(request.body.decode("ascii"), strict_parsing=True) == {
        "to": [MOBILE],
        "text": [BODY],
        "sender": ["Bawaba"],
        "reference": ["7"],
    }


def test_a_2xx_without_an_id_is_still_a_delivery(sms_provider: SmsProvider) -> None:
    sms_provider.status, sms_provider.reply = 202, {"queued": True}
    assert sender_for(sms_provider).send(sms_message()) is None


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_any_other_status_is_a_failed_attempt(sms_provider: SmsProvider, status: int) -> None:
    sms_provider.status = status
    with pytest.raises(DeliveryError) as failure:
        sender_for(sms_provider).send(sms_message())
    assert failure.value.reason == f"SMS provider answered HTTP {status}"
    assert not failure.value.permanent


def test_a_redirect_is_not_followed(sms_provider: SmsProvider) -> None:
    """Following a 302 would re-send the POST as a GET, without the message."""
    sms_provider.status, sms_provider.extra_headers = 302, {"Location": "/elsewhere"}
    with pytest.raises(DeliveryError, match="HTTP 302"):
        sender_for(sms_provider).send(sms_message())
    assert len(sms_provider.requests) == 1


def test_a_slow_provider_times_out(sms_provider: SmsProvider) -> None:
    sms_provider.delay = 1.0
    with pytest.raises(DeliveryError, match=r"did not answer within 0\.2 s"):
        sender_for(sms_provider, timeout=0.2).send(sms_message())


def test_a_closed_port_is_a_failed_attempt(sms_provider: SmsProvider) -> None:
    sms_provider.stop()
    with pytest.raises(DeliveryError, match="SMS provider unreachable: Connection refused"):
        sender_for(sms_provider).send(sms_message())


def test_a_number_that_is_not_a_saudi_mobile_is_never_posted(sms_provider: SmsProvider) -> None:
    for recipient in ("+966112345678", "+14155550100", "not a number"):
        with pytest.raises(DeliveryError) as failure:
            sender_for(sms_provider).send(sms_message(recipient))
        assert failure.value.permanent
    assert sms_provider.requests == []


def test_an_outage_delays_the_message_and_loses_nothing(
    outbox_app: Callable[..., Flask], sms_provider: SmsProvider
) -> None:
    app = outbox_app(
        SMS_ADAPTER="http",
        SMS_HTTP_URL=sms_provider.url,
        SMS_HTTP_TOKEN=SMS_TOKEN,
        OUTBOX_RETRY_BASE_SECONDS="10",
        OUTBOX_RETRY_MAX_SECONDS="3600",
    )
    messenger = get_messenger(app)
    session: Session = app.extensions["gateway"].database.session_factory()
    sms_provider.status = 503
    with session:
        message = queue_message(session, channel="sms", recipient="0501234567", body=BODY, purpose="registration")
        assert messenger.send_now(session, message) is False  # the provider is failing: the code is delayed
        session.commit()
        assert (message.status, message.attempts) == ("queued", 1)
        assert message.last_error == "SMS provider answered HTTP 503"
        first_retry = message.next_attempt_at

        # not due yet: nothing is attempted
        assert messenger.deliver_due(session, first_retry - timedelta(seconds=1)).attempted == 0

        # still failing, then the provider disappears altogether: the waits keep growing
        report = messenger.deliver_due(session, first_retry)
        assert report.retrying == [message.id]
        assert message.next_attempt_at - first_retry == timedelta(seconds=20)
        sms_provider.stop()
        second_retry = message.next_attempt_at
        messenger.deliver_due(session, second_retry)
        assert message.next_attempt_at - second_retry == timedelta(seconds=40)
        assert message.last_error == "SMS provider unreachable: Connection refused"
        assert (message.status, message.attempts) == ("queued", 3)

        # the provider comes back on the same address: the next pass delivers the message
        sms_provider.status = 200
        sms_provider.start()
        report = messenger.deliver_due(session, message.next_attempt_at)
        assert report.sent == [message.id]

    with app.extensions["gateway"].database.session_factory() as session:
        delivered = session.get(OutboxMessage, message.id)
        assert delivered is not None
        assert (delivered.status, delivered.attempts, delivered.provider_message_id) == ("sent", 4, "provider-1")
    posted = [json.loads(request.body) for request in sms_provider.requests]
    assert len(posted) == 3  # two refused with 503 while up, one accepted; none while the port was closed
    assert all(
        item == {"to": MOBILE, "text": BODY, "sender": "Bawaba", "reference": str(message.id)} for item in posted
    )


def test_the_provider_failing_for_good_marks_the_message_failed(
    outbox_app: Callable[..., Flask], sms_provider: SmsProvider
) -> None:
    app = outbox_app(SMS_ADAPTER="http", SMS_HTTP_URL=sms_provider.url, OUTBOX_MAX_ATTEMPTS="2")
    messenger = get_messenger(app)
    sms_provider.status = 500
    with app.extensions["gateway"].database.session_factory() as session:
        message = queue_message(session, channel="sms", recipient=MOBILE, body=BODY, purpose="sign_in")
        assert messenger.send_now(session, message) is False
        report = messenger.deliver_due(session, message.next_attempt_at)
        assert report.failed == [message.id]
        assert (message.status, message.attempts) == ("failed", 2)
        assert "Authorization" not in sms_provider.requests[0].headers  # no token configured, none sent
