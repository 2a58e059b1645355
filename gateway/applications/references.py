"""Readable reference numbers: ``MSN-7KQ2X9PB``.

A citizen reads these out over the phone and types them into a lookup box,
so the code uses Crockford's base32 without the letters people confuse with
digits or each other (I, L, O, U). Eight random characters give 32^8 (about
10^12) codes per prefix, so guessing someone's reference is hopeless and a
collision is rare enough that retrying is the right answer to one.
"""

from __future__ import annotations

import secrets

from bawaba_sdk.program import Program, Service
from bawaba_sdk.references import ALPHABET, CODE_LENGTH, REFERENCE_PATTERN, normalise_reference

__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "REFERENCE_PATTERN",
    "new_reference",
    "normalise_reference",
    "reference_prefix",
]

FALLBACK_PREFIX = "APP"


def reference_prefix(program: Program, service: Service) -> str:
    """The service's declared prefix, else the first three letters of the program's slug."""
    if service.reference_prefix:
        return service.reference_prefix
    letters = "".join(character for character in program.slug if character.isascii() and character.isalpha())
    return letters[:3].upper() if len(letters) >= 2 else FALLBACK_PREFIX


def new_reference(prefix: str) -> str:
    """A fresh reference with ``prefix`` and 8 random characters from :data:`ALPHABET`."""
    return f"{prefix}-{''.join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))}"
