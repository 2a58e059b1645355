"""Adapter configuration, the ``gateway outbox`` command and the ``/dev/outbox`` page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from messaging_servers import SMS_TOKEN, SmsProvider

from gateway.cli import cli
from gateway.messaging import (
    HttpSmsSender,
    OutboxEmailSender,
    OutboxMessage,
    OutboxSmsSender,
    SmtpEmailSender,
    get_messenger,
    init_messaging,
    queue_message,
    senders_from_config,
)
from gateway.settings import ConfigError

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "a-production-secret-key-of-at-least-32-characters"


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False)


def add_messages(app: Flask, *messages: dict[str, Any]) -> list[OutboxMessage]:
    with app.extensions["gateway"].database.session_factory() as session:
        queued = [queue_message(session, **message, dispatch=False) for message in messages]  # as the sweep finds them
        session.commit()
        return queued


CODE_SMS = {"channel": "sms", "recipient": "0551234567", "body": "رمز التحقق: 731902", "purpose": "registration"}
RESET_EMAIL = {
    "channel": "email",
    "recipient": "citizen@example.com",
    "subject": "Reset your password",
    "body": "Your code is 118822.\nIt is valid for 5 minutes.",
    "purpose": "password_reset",
}


# -- configuration -----------------------------------------------------------------------


def test_the_sandboxes_are_the_default() -> None:
    senders = senders_from_config({})
    assert isinstance(senders["sms"], OutboxSmsSender)
    assert isinstance(senders["email"], OutboxEmailSender)


def test_real_adapters_are_chosen_by_configuration() -> None:
    senders = senders_from_config(
        {
            "GATEWAY_SMS_ADAPTER": "http",
            "GATEWAY_SMS_HTTP_URL": "https://sms.example/send",
            "GATEWAY_SMS_HTTP_FORMAT": "form",
            "GATEWAY_EMAIL_ADAPTER": "smtp",
            "GATEWAY_SMTP_HOST": "mail.example",
            "GATEWAY_SMTP_SECURITY": "tls",
        }
    )
    sms, email = senders["sms"], senders["email"]
    assert isinstance(sms, HttpSmsSender) and sms.body_format == "form" and sms.url == "https://sms.example/send"
    assert isinstance(email, SmtpEmailSender) and (email.host, email.port, email.security) == (
        "mail.example",
        587,
        "tls",
    )


def test_every_missing_setting_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as failure:
        senders_from_config({"GATEWAY_SMS_ADAPTER": "http", "GATEWAY_EMAIL_ADAPTER": "smtp"})
    message = str(failure.value)
    assert "GATEWAY_SMS_ADAPTER=http needs GATEWAY_SMS_HTTP_URL" in message
    assert "GATEWAY_EMAIL_ADAPTER=smtp needs GATEWAY_SMTP_HOST" in message


def test_only_http_urls_reach_the_sms_provider() -> None:
    with pytest.raises(ConfigError, match="must be an http:// or https:// URL"):
        senders_from_config({"GATEWAY_SMS_ADAPTER": "http", "GATEWAY_SMS_HTTP_URL": "file:///etc/passwd"})


def test_a_misconfigured_app_fails_when_messaging_starts(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="GATEWAY_SMS_HTTP_URL"):
        init_messaging(make_app(SMS_ADAPTER="http"))  # create_app itself refuses, once it calls init_messaging


# -- gateway outbox ----------------------------------------------------------------------


def test_outbox_prints_the_latest_messages_with_their_bodies(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    sms, email = add_messages(app, CODE_SMS, RESET_EMAIL)
    lines = run(app, "outbox").output.splitlines()
    assert lines[0].startswith(f"#{sms.id}  ")
    assert lines[0].endswith("  sms  +966551234567  registration  queued  attempts=0")
    assert lines[1] == "    رمز التحقق: 731902"
    assert lines[2].endswith("  email  citizen@example.com  password_reset  queued  attempts=0")
    assert lines[3:] == [
        "    Subject: Reset your password",
        "    Your code is 118822.",
        "    It is valid for 5 minutes.",
    ]
    assert f"#{email.id}  " in lines[2]
    assert " UTC  " in lines[0]


def test_outbox_limit_keeps_the_newest(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    add_messages(app, *({**CODE_SMS, "body": f"message {index}"} for index in range(5)))
    output = run(app, "outbox", "--limit", "2").output
    assert "message 3" in output and "message 4" in output
    assert "message 2" not in output
    assert output.index("message 3") < output.index("message 4")  # newest last


def test_outbox_when_empty_and_when_not_migrated(make_app: Callable[..., Flask]) -> None:
    app = make_app(migrate_database=False)
    not_migrated = CliRunner().invoke(cli, ["outbox"], obj=ScriptInfo(create_app=lambda: app))
    assert not_migrated.exit_code == 1
    assert "has 'gateway db upgrade' run?" in not_migrated.output
    run(app, "db", "upgrade")
    assert run(app, "outbox").output == "The outbox is empty.\n"


def test_outbox_deliver_once(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    add_messages(app, CODE_SMS, RESET_EMAIL, {**CODE_SMS, "recipient": "0112345678"})
    assert run(app, "outbox", "deliver").output == "3 due: 2 sent, 0 to be retried, 1 failed\n"
    assert run(app, "outbox", "deliver").output == "0 due: 0 sent, 0 to be retried, 0 failed\n"
    listing = run(app, "outbox").output
    assert listing.count("  sent  attempts=1") == 2
    assert "last error: recipient is not a Saudi mobile number" in listing


def test_outbox_deliver_loop_retries_until_the_provider_recovers(
    outbox_app: Callable[..., Flask], sms_provider: SmsProvider
) -> None:
    app = outbox_app(
        SMS_ADAPTER="http", SMS_HTTP_URL=sms_provider.url, SMS_HTTP_TOKEN=SMS_TOKEN, OUTBOX_RETRY_BASE_SECONDS="1"
    )
    [message] = add_messages(app, CODE_SMS)
    sms_provider.status = 503
    first = run(app, "outbox", "deliver", "--loop", "--interval", "0", "--max-rounds", "2")
    assert first.output.count("1 due: 0 sent, 1 to be retried, 0 failed") == 1  # the second round had nothing due

    sms_provider.status = 200
    with app.extensions["gateway"].database.session_factory() as session:
        stored = session.get(OutboxMessage, message.id)
        assert stored is not None
        stored.next_attempt_at -= timedelta(seconds=5)  # as if the back-off had elapsed
        session.commit()
    second = run(app, "outbox", "deliver", "--loop", "--interval", "0", "--max-rounds", "1")
    assert "1 due: 1 sent, 0 to be retried, 0 failed" in second.output
    assert len(sms_provider.requests) == 2


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_process_stops_cleanly_on_a_signal(
    outbox_app: Callable[..., Flask], database_url: str, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    app = outbox_app()
    add_messages(app, CODE_SMS)
    environment = {
        **os.environ,
        "GATEWAY_ENV": "testing",
        "GATEWAY_DATABASE_URL": database_url,
        "GATEWAY_INSTANCE_PATH": str(tmp_path / "instance"),
        "GATEWAY_PLUGINS": "",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "outbox", "deliver", "--loop", "--interval", "0.2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().endswith("1 due: 1 sent, 0 to be retried, 0 failed\n")
        worker.send_signal(stop_signal)
        assert worker.wait(timeout=20) == 0
        assert worker.stdout.read() == "stopped\n"
    finally:
        worker.kill()
        worker.wait()


def test_max_rounds_needs_loop(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    result = CliRunner().invoke(cli, ["outbox", "deliver", "--max-rounds", "1"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    assert "--max-rounds only makes sense with --loop" in result.output


# -- /dev/outbox -------------------------------------------------------------------------


def test_the_developer_page_lists_messages_newest_first(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app(ENV="development")
    sms, email = add_messages(app, CODE_SMS, RESET_EMAIL)
    get_messenger(app)
    response = app.test_client().get("/dev/outbox", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<caption" in page and '<th scope="col">Recipient</th>' in page
    assert page.index(f'id="message-{email.id}"') < page.index(f'id="message-{sms.id}"')
    assert "رمز التحقق: 731902" in page
    assert '<bdi dir="ltr">+966551234567</bdi>' in page
    assert "Reset your password" in page and "Password reset" in page


def test_the_developer_page_speaks_arabic(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()  # testing
    add_messages(app, CODE_SMS)
    page = app.test_client().get("/dev/outbox", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "731902" in page


def test_the_developer_page_is_empty_before_any_message(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app()
    page = app.test_client().get("/dev/outbox", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The outbox is empty." in page


def test_the_developer_page_does_not_exist_in_production(outbox_app: Callable[..., Flask]) -> None:
    app = outbox_app(ENV="production", SECRET_KEY=PRODUCTION_KEY, STAGING=True, RATE_LIMITS_IN_PROCESS=True)
    add_messages(app, CODE_SMS)
    assert "dev_outbox" not in app.blueprints
    response = app.test_client().get("/dev/outbox")
    assert response.status_code == 404
    assert "731902" not in response.get_data(as_text=True)
    assert not any(rule.rule.startswith("/dev") for rule in app.url_map.iter_rules())
