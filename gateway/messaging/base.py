"""What every channel adapter shares: the :class:`Sender` protocol and its error.

Kept apart from the adapters so the real providers (HTTP SMS, SMTP) and the
sandboxes depend on this small module only, never on each other.
"""

from __future__ import annotations

import re
from typing import Protocol

from bawaba_sdk.validators import is_saudi_mobile

from .models import OutboxMessage


class DeliveryError(Exception):
    """One delivery attempt failed; ``reason`` is safe to store (never the body).

    ``permanent`` marks failures that no retry can fix (a recipient that is not
    a mobile number, an address the mail server rejects for good), so the
    message is marked failed at once instead of being retried for hours.
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender(Protocol):
    """Delivers one message or raises :class:`DeliveryError`."""

    def send(self, message: OutboxMessage) -> str | None:
        """Deliver ``message``; return the provider's id for it, if it gives one."""
        ...


def require_saudi_mobile(recipient: str) -> None:
    """Refuse to text anything but a Saudi mobile number: codes only ever go to mobiles."""
    if not is_saudi_mobile(recipient):
        raise DeliveryError("recipient is not a Saudi mobile number", permanent=True)


_EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def require_email_address(recipient: str) -> None:
    """Refuse anything that is not one plain address (CR/LF here could inject headers)."""
    if not _EMAIL_ADDRESS.fullmatch(recipient) or any(char in recipient for char in "<>,;\"'"):
        raise DeliveryError("recipient is not a single email address", permanent=True)
