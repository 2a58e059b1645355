"""One-time codes to the signed-in person's own mobile or email, for a plugin's confirmations.

A plugin that must confirm something with the person (GOSI activating a
contributor's account, a change of bank account) asks the host to send a code
to the mobile or email of the shared identity, never to an address the plugin
keeps, and to check what the person types. The host's one-time codes do the
rest: the code is hashed and bound to the purpose and to the person's browser
session, resends and attempts are throttled, the message goes through the
outbox and its worker, in the person's language::

    sent = sdk.send_code("gosi_activation", "sms")
    if not sent.sent:
        flash(_("Wait %(seconds)s seconds before asking for another code.", seconds=sent.retry_after))
    ...
    result = sdk.check_code("gosi_activation", form_code)
    if result == "ok": ...

``purpose`` names the plugin's flow (lowercase, digits and underscores, at
most 32 characters, starting with the plugin's slug); a code of one purpose
never passes for another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .host import current_host

CHANNELS: Final = ("sms", "email")
CHECK_RESULTS: Final = ("ok", "wrong", "expired", "too_many_tries", "no_code")
"""What :func:`check_code` answers: right; wrong (try again); expired, used up by wrong tries or never
sent (ask for a new code)."""


@dataclass(frozen=True)
class CodeSent:
    """What became of a request for a code."""

    sent: bool
    """The code is on its way (the outbox's worker delivers it)."""
    destination: str = ""
    """Where it went, partly hidden (``05•••••567``, ``n•••@example.com``), to show the person."""
    retry_after: int = 0
    """When not sent: seconds before another code may be asked for."""
    no_address: bool = False
    """When not sent: the person has no address on that channel (no email on the shared identity)."""


def send_code(purpose: str, channel: str) -> CodeSent:
    """Send a new code for ``purpose`` to the signed-in person's ``channel`` (``sms`` or ``email``).

    A new code voids the earlier one of the same purpose. Raises ``ValueError``
    for an unknown channel or a malformed purpose, ``RuntimeError`` when nobody
    is signed in.
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    return current_host().send_person_code(purpose, channel)


def check_code(purpose: str, code: str) -> str:
    """Check ``code`` (Arabic-Indic digits and spaces accepted) for ``purpose``: one of :data:`CHECK_RESULTS`.

    A right code is used up: checking it again answers ``no_code``.
    """
    return current_host().check_person_code(purpose, code)


__all__ = ["CHANNELS", "CHECK_RESULTS", "CodeSent", "check_code", "send_code"]
