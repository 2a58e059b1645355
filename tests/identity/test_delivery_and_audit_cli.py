"""An SMS outage delays the code and offers email, never a 500; the audit log can be read.

With a real provider the code is sent by ``gateway worker``, after the answer;
``run_pending`` does here what the worker does next.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from gateway.cli import cli
from gateway.messaging.models import OutboxMessage
from gateway.tasks import get_tasks
from tests.identity.conftest import AHMED, GOOD_PASSWORD, Portal, latest_code

LIMITS = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_sms_outage_delays_the_code_and_offers_email(make_app: Callable[..., Flask]) -> None:
    working = Portal(make_app(**LIMITS))
    client = working.client()
    working.register(client)
    client.post("/account/contact/email", data={"value": "ahmed@example.com"})
    client.post("/account/contact/code", data={"code": latest_code(working.app, "ahmed@example.com")})
    outage = Portal(make_app(SMS_ADAPTER="http", SMS_HTTP_URL=f"http://127.0.0.1:{closed_port()}/send", **LIMITS))
    browser = outage.client()
    first = browser.post("/account/sign-in", data={"identifier": "ahmed84", "password": GOOD_PASSWORD})
    assert first.status_code == 303
    assert get_tasks(outage.app).run_pending() == 1  # the worker's attempt: the provider is unreachable
    page = browser.get("/account/sign-in/code", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "taking longer than usual" in text
    assert "Send the code to my email instead" in text
    by_email = browser.post("/account/sign-in/email")
    assert by_email.status_code == 303
    done = browser.post("/account/sign-in/code", data={"code": latest_code(outage.app, "ahmed@example.com")})
    assert done.status_code == 303
    assert browser.get("/account/").status_code == 200


def test_the_audit_log_is_readable_from_the_command_line(make_app: Callable[..., Flask]) -> None:
    portal = Portal(make_app(**LIMITS))
    portal.register(portal.client())
    portal.client().post("/account/sign-in", data={"identifier": "1000000008", "password": "a wrong password"})
    result = CliRunner().invoke(
        cli, ["audit", "list", "--person", "١٠٠٠٠٠٠٠٠٨", "--json"], obj=ScriptInfo(create_app=lambda: portal.app)
    )
    assert result.exit_code == 0, result.output
    events = [json.loads(line)["event"] for line in result.output.splitlines()]
    assert events[0] == "sign_in.failed"
    assert "registration.completed" in events
    assert GOOD_PASSWORD not in result.output
    unknown = CliRunner().invoke(
        cli, ["audit", "list", "--person", "1000000016"], obj=ScriptInfo(create_app=lambda: portal.app)
    )
    assert unknown.exit_code == 1


def test_a_code_sent_through_a_real_provider_leaves_no_copy_behind(make_app: Callable[..., Flask]) -> None:
    from tests.messaging.messaging_servers import SmsProvider

    provider = SmsProvider()
    provider.start()
    try:
        portal = Portal(make_app(SMS_ADAPTER="http", SMS_HTTP_URL=provider.url, SMS_HTTP_TOKEN="t0ken", **LIMITS))
        client = portal.client()
        assert client.post("/account/register", data=AHMED).status_code == 303
        assert provider.requests == []  # the answer did not wait for the provider
        assert get_tasks(portal.app).run_pending() == 1
        [request] = provider.requests
        code = re.search(r"\b(\d{6})\b", request.body.decode())
        assert code is not None
        with portal.app.extensions["gateway"].database.session_factory() as db:
            stored = db.scalars(select(OutboxMessage)).one()
        assert stored.status == "sent"
        assert code.group(1) not in stored.body
        assert client.post("/account/register/code", data={"code": code.group(1)}).status_code == 303
    finally:
        provider.stop()


def test_housekeeping_removes_what_has_served_its_purpose(make_app: Callable[..., Flask]) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    portal = Portal(make_app(**LIMITS))
    portal.register(portal.client())
    with portal.app.extensions["gateway"].database.session_factory() as db:
        db.execute(update(OutboxMessage).values(created_at=datetime.now(UTC) - timedelta(days=40)))
        db.commit()
    result = CliRunner().invoke(cli, ["housekeeping"], obj=ScriptInfo(create_app=lambda: portal.app))
    assert result.exit_code == 0, result.output
    assert "1 old messages, 0 stale drafts, 0 orphaned files, 0 spent OIDC tokens" in result.output
    with portal.app.extensions["gateway"].database.session_factory() as db:
        assert db.scalars(select(OutboxMessage)).all() == []
