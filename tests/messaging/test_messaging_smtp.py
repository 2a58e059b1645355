"""The SMTP adapter against a real local SMTP server (aiosmtpd): content, TLS, login, refusals."""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import Flask
from messaging_servers import SMTP_LOGIN, Certificate, SmtpServer, free_port, start_smtp_server

from gateway.messaging import DeliveryError, OutboxMessage, SmtpEmailSender, get_messenger, queue_message
from gateway.settings import ConfigError

RECIPIENT = "citizen@example.com"
SUBJECT = "رمز التحقق في بوابة"
BODY = "رمزك هو 482913.\nصالح لمدة خمس دقائق."


def email_message(recipient: str = RECIPIENT, subject: str | None = SUBJECT, body: str = BODY) -> OutboxMessage:
    return OutboxMessage(id=3, channel="email", recipient=recipient, subject=subject, body=body, purpose="sign_in")


def plain_sender(port: int, **options: object) -> SmtpEmailSender:
    settings: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "timeout": 5.0,
        "mail_from": "بوابة <no-reply@bawaba.example>",
    }
    settings.update(options)
    return SmtpEmailSender(**settings)  # type: ignore[arg-type]


def received(server: SmtpServer) -> EmailMessage:
    [envelope] = server.recorder.envelopes
    content = envelope.original_content or envelope.content
    assert isinstance(content, bytes)
    parsed = message_from_bytes(content, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_an_arabic_email_arrives_intact(smtp_server: SmtpServer) -> None:
    provider_id = plain_sender(smtp_server.port).send(email_message())
    [envelope] = smtp_server.recorder.envelopes
    assert envelope.mail_from == "no-reply@bawaba.example"
    assert envelope.rcpt_tos == [RECIPIENT]
    mail = received(smtp_server)
    assert str(mail["From"]) == "بوابة <no-reply@bawaba.example>"
    assert str(mail["To"]) == RECIPIENT
    assert str(mail["Subject"]) == SUBJECT
    assert mail["Message-ID"] == provider_id
    assert mail["Date"] is not None
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content().rstrip("\n") == BODY


def test_a_newline_in_the_subject_cannot_inject_a_header(smtp_server: SmtpServer) -> None:
    subject = "Your code\r\nBcc: attacker@evil.example\r\n\r\nfake body"
    plain_sender(smtp_server.port).send(email_message(subject=subject))
    [envelope] = smtp_server.recorder.envelopes
    assert envelope.rcpt_tos == [RECIPIENT]
    mail = received(smtp_server)
    assert mail["Bcc"] is None
    assert str(mail["Subject"]) == "Your code Bcc: attacker@evil.example fake body"
    assert mail.get_content().rstrip("\n") == BODY


@pytest.mark.parametrize(
    "recipient",
    ["citizen@example.com\r\nBcc: attacker@evil.example", "a@example.com, b@example.com", "Name <a@example.com>", "x"],
)
def test_a_recipient_that_is_not_one_plain_address_is_refused(smtp_server: SmtpServer, recipient: str) -> None:
    with pytest.raises(DeliveryError) as failure:
        plain_sender(smtp_server.port).send(email_message(recipient=recipient))
    assert failure.value.permanent
    assert smtp_server.recorder.envelopes == []


@pytest.mark.parametrize(
    "mail_from", ["Bawaba\r\nBcc: attacker@evil.example <no-reply@bawaba.example>", "Bawaba", "a@b@c.example"]
)
def test_a_bad_from_address_is_a_configuration_error(mail_from: str) -> None:
    with pytest.raises(ValueError, match="GATEWAY_MAIL_FROM"):
        plain_sender(25, mail_from=mail_from)


def test_a_bad_from_address_stops_the_app(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="GATEWAY_MAIL_FROM"):
        get_messenger(make_app(EMAIL_ADAPTER="smtp", SMTP_HOST="127.0.0.1", MAIL_FROM="Bawaba no-reply"))


def test_a_refused_recipient_fails_the_message_at_once(
    outbox_app: Callable[..., Flask], smtp_server: SmtpServer
) -> None:
    smtp_server.recorder.refuse_recipients = "550 5.1.1 no such user"
    app = outbox_app(EMAIL_ADAPTER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port), SMTP_SECURITY="none")
    with app.extensions["gateway"].database.session_factory() as session:
        message = queue_message(
            session, channel="email", recipient=RECIPIENT, subject="Code", body=BODY, purpose="sign_in"
        )
        assert get_messenger(app).send_now(session, message) is False
        assert (message.status, message.last_error) == ("failed", "mail server refused the recipient (550)")


def test_a_temporary_refusal_is_retried(outbox_app: Callable[..., Flask], smtp_server: SmtpServer) -> None:
    smtp_server.recorder.refuse_recipients = "451 4.3.0 try again later"
    app = outbox_app(EMAIL_ADAPTER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port), SMTP_SECURITY="none")
    with app.extensions["gateway"].database.session_factory() as session:
        message = queue_message(
            session, channel="email", recipient=RECIPIENT, subject="Code", body=BODY, purpose="sign_in"
        )
        messenger = get_messenger(app)
        assert messenger.send_now(session, message) is False
        assert (message.status, message.last_error) == ("queued", "mail server refused the recipient (451)")
        smtp_server.recorder.refuse_recipients = None
        assert messenger.deliver_due(session, message.next_attempt_at).sent == [message.id]
    assert received(smtp_server)["Subject"] == "Code"


def test_a_mail_server_that_is_down_is_a_failed_attempt() -> None:
    with pytest.raises(DeliveryError, match="mail server unreachable: Connection refused") as failure:
        plain_sender(free_port()).send(email_message())
    assert not failure.value.permanent


def test_starttls_and_login(localhost_certificate: Certificate) -> None:
    server = start_smtp_server(tls_context=localhost_certificate.server_context(), require_starttls=True)
    try:
        sender = plain_sender(
            server.port,
            security="starttls",
            username=SMTP_LOGIN[0],
            password=SMTP_LOGIN[1],
            ssl_context=localhost_certificate.client_context(),
        )
        sender.send(email_message())
        assert server.recorder.logins == [SMTP_LOGIN]
        assert str(received(server)["Subject"]) == SUBJECT

        wrong = plain_sender(
            server.port,
            security="starttls",
            username="mailer",
            password="wrong",
            ssl_context=localhost_certificate.client_context(),
        )
        with pytest.raises(DeliveryError, match="mail server answered 535"):
            wrong.send(email_message())
    finally:
        server.controller.stop()


def test_the_server_certificate_is_verified(localhost_certificate: Certificate) -> None:
    server = start_smtp_server(tls_context=localhost_certificate.server_context(), require_starttls=True)
    try:
        with pytest.raises(DeliveryError, match="TLS with the mail server failed: CERTIFICATE_VERIFY_FAILED"):
            plain_sender(server.port, security="starttls").send(email_message())  # system trust store
        assert server.recorder.envelopes == []
    finally:
        server.controller.stop()


def test_implicit_tls(localhost_certificate: Certificate) -> None:
    server = start_smtp_server(ssl_context=localhost_certificate.server_context())
    try:
        sender = plain_sender(server.port, security="tls", ssl_context=localhost_certificate.client_context())
        sender.send(email_message())
        assert received(server).get_content().rstrip("\n") == BODY
    finally:
        server.controller.stop()


def test_plain_text_to_a_server_that_requires_starttls_is_refused(localhost_certificate: Certificate) -> None:
    server = start_smtp_server(tls_context=localhost_certificate.server_context(), require_starttls=True)
    try:
        with pytest.raises(DeliveryError, match="mail server answered 530"):
            plain_sender(server.port).send(email_message())
    finally:
        server.controller.stop()
