"""Header injection through names and addresses that end up in emails, checked at a real SMTP server.

What could reach an email header: the recipient (an address the person
typed: at registration, or as a new contact address, which is mailed a code
at once), the subject and body of a notification (the application's
reference in the subject; the program's and service's names, which a
third-party plugin declares, in the body), and the From (the operator's
``GATEWAY_MAIL_FROM``). Each is fed a CR/LF followed by ``Bcc:`` and a fake
header; the portal sends through ``smtplib`` to a local aiosmtpd server, and
the test reads the message as received: one recipient, the expected headers
only, every header on one line, and the names flattened onto one line of the
body. What a person types in a form never goes into a message at all, and
people's names (from the registry) are not used in emails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from flask import Flask

from gateway.settings import ConfigError
from gateway.tasks import get_tasks
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, Portal, latest_code
from tests.messaging.messaging_servers import SmtpServer, start_smtp_server
from tests.sample_plugins import entry_points
from tests.security.hostile_plugin import INJECTED
from tests.security.portal import EN, text

EXPECTED_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "content-type",
    "content-transfer-encoding",
    "mime-version",
}
EVIL_ADDRESSES = [
    "ahmed@example.com\r\nBcc: victim@evil.example",
    "ahmed@example.com\nBcc: victim@evil.example",
    "ahmed@example.com\rBcc: victim@evil.example",
    "ahmed@example.com%0d%0aBcc: victim@evil.example",
    "ahmed@example.com>\r\nBcc: <victim@evil.example",
    "ahmed@example.com, victim@evil.example",
    "ahmed@example.com;victim@evil.example",
    '"x\r\nBcc: victim@evil.example" <ahmed@example.com>',
    "ahmed@example.com\u2028Bcc: victim@evil.example",
    "ahmed@example.com\x00victim@evil.example",
]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = start_smtp_server(auth_require_tls=False)
    yield server
    server.controller.stop()


@pytest.fixture
def mailing_portal(secure_portal: Callable[..., Flask], smtp: SmtpServer) -> Callable[..., Flask]:
    """Portals that send email through the local SMTP server (no TLS, no login)."""

    def build(**overrides: Any) -> Flask:
        return secure_portal(
            EMAIL_ADAPTER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_SECURITY="none", **overrides
        )

    return build


def received(smtp: SmtpServer) -> list[tuple[list[str], EmailMessage]]:
    """Every message the server accepted: its envelope recipients and the message as parsed."""
    return [
        (
            list(envelope.rcpt_tos),
            cast(EmailMessage, message_from_bytes(envelope.original_content or b"", policy=policy.default)),
        )
        for envelope in smtp.recorder.envelopes
    ]


def assert_clean(recipients: list[str], message: EmailMessage, to: str) -> None:
    assert recipients == [to]
    names = [name.lower() for name in message]
    assert set(names) <= EXPECTED_HEADERS, names
    assert len(names) == len(set(names)), names  # no header twice
    assert "evil.example" not in str(message["To"])
    for name, value in message.items():
        assert "\r" not in str(value) and "\n" not in str(value), (name, value)


def test_a_typed_address_with_line_breaks_or_several_recipients_is_refused(
    mailing_portal: Callable[..., Flask], smtp: SmtpServer
) -> None:
    portal = Portal(mailing_portal())
    browser = portal.client()
    browser.post("/account/register", data=AHMED)
    browser.post("/account/register/code", data={"code": latest_code(portal.app, AHMED_MOBILE)})
    details = {
        "username": "ahmed84",
        "password": GOOD_PASSWORD,
        "password_confirmation": GOOD_PASSWORD,
        "mobile": "0501234567",
    }
    for address in EVIL_ADDRESSES:  # at registration
        refused = browser.post("/account/register/details", data={**details, "email": address}, headers=EN)
        assert refused.status_code == 400, address
        assert "Enter an email address like name@example.com." in text(refused), address

    assert browser.post("/account/register/details", data={**details, "email": "ahmed@example.com"}).status_code == 303
    for address in EVIL_ADDRESSES:  # as a new contact address, which would be mailed a code at once
        changed = browser.post("/account/contact/email", data={"value": address}, headers=EN)
        assert changed.status_code == 400, address
        assert "Enter an email address like name@example.com." in text(changed), address
    get_tasks(portal.app).run_pending()  # what gateway worker would send
    assert received(smtp) == []  # nothing was mailed to anyone


def test_a_new_contact_address_gets_its_code_in_a_clean_message(
    mailing_portal: Callable[..., Flask], smtp: SmtpServer
) -> None:
    """The control: the same flow with a plain address mails exactly that address."""
    portal = Portal(mailing_portal())
    browser = portal.client()
    portal.register(browser)
    assert browser.post("/account/contact/email", data={"value": "new.ahmed@example.com"}).status_code == 303
    assert get_tasks(portal.app).run_pending() >= 1  # gateway worker sends it
    messages = received(smtp)
    assert len(messages) == 1
    assert_clean(*messages[0], to="new.ahmed@example.com")


def test_names_declared_by_a_plugin_cannot_add_headers_to_a_notification(
    mailing_portal: Callable[..., Flask], smtp: SmtpServer
) -> None:
    app = mailing_portal(PLUGINS="hostile", PLUGIN_ENTRY_POINTS=entry_points(hostile="tests.security.hostile_plugin"))
    portal = Portal(app)
    browser = portal.client()
    portal.register(browser, email="ahmed@example.com")
    typed_name = "Ahmed" + INJECTED
    base = "/apply/hostile/letter/"
    assert browser.get(base).status_code == 303
    assert browser.post(base + "about", data={"name": typed_name}).status_code == 303
    check = text(browser.get(base + "check"))
    key = re.search(r'name="submission_key" value="([^"]+)"', check)
    assert key is not None
    assert browser.post(base + "check", data={"submission_key": key.group(1)}).status_code == 303

    get_tasks(app).run_pending()  # gateway worker sends the notification
    messages = received(smtp)
    assert len(messages) == 1, [message["Subject"] for _, message in messages]
    recipients, message = messages[0]
    assert_clean(recipients, message, to="ahmed@example.com")
    assert message["X-Injected"] is None and message["Bcc"] is None
    subject = str(message["Subject"])
    assert "Application HST-" in subject and "Bcc" not in subject
    body = message.get_content()
    assert "Letter Bcc: victim@evil.example X-Injected: yes Fake body" in body  # the name, on one line
    assert not any(line.startswith(("Bcc:", "X-Injected:")) for line in body.splitlines())
    assert "Ahmed" not in body  # what the person typed never goes into a message


@pytest.mark.parametrize(
    "mail_from",
    ["Bawaba <no-reply@bawaba.example>\r\nBcc: victim@evil.example", "Bawaba\n<no-reply@bawaba.example>"],
)
def test_a_from_address_with_line_breaks_stops_the_portal_at_start_up(
    secure_portal: Callable[..., Flask], mail_from: str
) -> None:
    with pytest.raises((ConfigError, ValueError)):
        secure_portal(EMAIL_ADAPTER="smtp", SMTP_HOST="127.0.0.1", MAIL_FROM=mail_from)
