"""A recovery code is handed to the worker only after the answer has gone out (decision 0009).

Whether a code is sent at all is the secret (only an ID with an account gets
one), so neither the hand-off nor the provider's latency may be part of the
answer. Against a real local HTTP SMS provider: nothing is queued for the
worker while the page answers; the code is handed over when the server closes
the response, as gunicorn does after writing the last byte, and the worker
(``run_pending`` here) sends it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from gateway.messaging.models import OutboxMessage
from gateway.tasks import get_tasks
from tests.identity.conftest import AHMED, AHMED_MOBILE, Portal
from tests.messaging.messaging_servers import SmsProvider

RATES = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
}


def with_an_account(make_app: Callable[..., Flask], sms_provider: SmsProvider) -> Flask:
    """Ahmed registers on a portal whose codes stay readable in the outbox; then the same portal sends by HTTP."""
    registering = make_app(**RATES)
    Portal(registering).register(registering.test_client())
    return make_app(**RATES, SMS_ADAPTER="http", SMS_HTTP_URL=sms_provider.url, SMS_HTTP_TOKEN="provider-token")


def recovery_messages(app: Flask) -> list[OutboxMessage]:
    with app.extensions["gateway"].database.session_factory() as db:
        query = select(OutboxMessage).where(OutboxMessage.purpose == "password_reset")
        return list(db.scalars(query.order_by(OutboxMessage.id)).all())


def test_the_code_is_sent_once_the_answer_has_gone_out(
    make_app: Callable[..., Flask], sms_provider: SmsProvider
) -> None:
    app = with_an_account(make_app, sms_provider)
    sent_before = len(sms_provider.requests)

    queue = get_tasks(app)
    answer = app.test_client().post("/account/recover", data={"id_number": AHMED["id_number"]})
    assert answer.status_code == 303
    assert len(sms_provider.requests) == sent_before, "nothing may reach the provider while the page answers"
    assert queue.huey.pending_count() == 0, "nor be handed to the worker"
    [queued] = recovery_messages(app)
    assert (queued.status, queued.recipient) == ("queued", AHMED_MOBILE)

    answer.close()  # what the WSGI server does once the answer is written
    assert queue.huey.pending_count() == 1
    assert queue.run_pending() == 1
    assert len(sms_provider.requests) == sent_before + 1
    [sent] = recovery_messages(app)
    assert sent.status == "sent"
    code = re.search(rb"\b(\d{6})\b", sms_provider.requests[-1].body)
    assert code is not None


def test_an_id_without_an_account_queues_nothing(make_app: Callable[..., Flask], sms_provider: SmsProvider) -> None:
    app = make_app(**RATES, SMS_ADAPTER="http", SMS_HTTP_URL=sms_provider.url, SMS_HTTP_TOKEN="provider-token")
    answer = app.test_client().post("/account/recover", data={"id_number": AHMED["id_number"]})
    assert answer.status_code == 303
    answer.close()
    assert get_tasks(app).run_pending() == 0
    assert recovery_messages(app) == [] and sms_provider.requests == []


def test_a_provider_outage_after_the_answer_leaves_the_code_for_the_worker(
    make_app: Callable[..., Flask], sms_provider: SmsProvider
) -> None:
    app = with_an_account(make_app, sms_provider)
    sms_provider.status = 503
    answer = app.test_client().post("/account/recover", data={"id_number": AHMED["id_number"]})
    assert answer.status_code == 303
    answer.close()
    assert get_tasks(app).run_pending() == 1
    [queued] = recovery_messages(app)
    assert (queued.status, queued.attempts) == ("queued", 1)
    assert get_tasks(app).huey.scheduled_count() == 1  # the next attempt, at the outbox's back-off
