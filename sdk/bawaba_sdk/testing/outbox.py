"""Test kit: what the portal sent someone, and the one-time code in it, read from the real outbox.

Codes are read where the person would read them (the message), so a test
of a page that sends a code goes through the same steps a person does::

    from bawaba_sdk.testing.outbox import latest_code, latest_message

    def test_the_office_is_told(make_portal):
        ...
        assert "approved" in latest_message(app, "office@example.com").body
        code = latest_code(app, person="1000000008")  # to the person's registered mobile
"""

from __future__ import annotations

import re
from typing import Any

from .host_kit import SentMessage, host_kit

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
"""A one-time code: six digits (the portal's ``GATEWAY_OTP_LENGTH`` default)."""


def messages_to(app: Any, recipient: str) -> list[SentMessage]:
    """Every message to ``recipient`` (an E.164 mobile such as ``+966512345678``, or an email), oldest first."""
    return host_kit().outbox(app, recipient)


def latest_message(app: Any, recipient: str | None = None, *, person: str | None = None) -> SentMessage:
    """The newest message to ``recipient``, or to the portal person with ID number ``person`` (SMS or email).

    Fails the test when nothing was sent there.
    """
    recipients = _recipients(app, recipient, person)
    found = [message for address in recipients for message in messages_to(app, address)]
    if not found:
        raise AssertionError(f"no message was sent to {' or '.join(recipients)}")
    return max(found, key=lambda message: message.order)


def latest_code(app: Any, recipient: str | None = None, *, person: str | None = None) -> str:
    """The one-time code in the newest message that carries one, to ``recipient`` (or to the person ``person``).

    A notice sent beside a code (someone started registering with the
    person's ID number) carries none, so it is passed over, as the person
    reading their phone would.
    """
    recipients = _recipients(app, recipient, person)
    found = [message for address in recipients for message in messages_to(app, address)]
    if not found:
        raise AssertionError(f"no message was sent to {' or '.join(recipients)}")
    for message in sorted(found, key=lambda message: message.order, reverse=True):
        match = CODE.search(message.body)
        if match is not None:
            return match.group(1)
    raise AssertionError(f"no message to {' or '.join(recipients)} has a code")


def _recipients(app: Any, recipient: str | None, person: str | None) -> list[str]:
    if (recipient is None) == (person is None):
        raise TypeError("name either a recipient or a person's ID number")
    if recipient is not None:
        return [recipient]
    assert person is not None
    mobile, email = host_kit().contact_of(app, person)
    return [mobile] if email is None else [mobile, email]


__all__ = ["CODE", "SentMessage", "latest_code", "latest_message", "messages_to"]
