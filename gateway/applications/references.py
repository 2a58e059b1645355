"""Readable reference numbers: ``MSN-7KQ2X9PB``.

A citizen reads these out over the phone and types them into a lookup box,
so the code uses Crockford's base32 without the letters people confuse with
digits or each other (I, L, O, U). Eight random characters give 32^8 (about
10^12) codes per prefix, so guessing someone's reference is hopeless and a
collision is rare enough that retrying is the right answer to one.
"""

from __future__ import annotations

import re
import secrets

from sdk.digits import normalize_digits, strip_invisibles
from sdk.program import Program, Service

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: digits and capital letters without I, L, O and U."""
CODE_LENGTH = 8
FALLBACK_PREFIX = "APP"
REFERENCE_PATTERN = re.compile(r"^[A-Z]{2,5}-[" + ALPHABET + r"]{" + str(CODE_LENGTH) + r"}$")
MAX_TYPED_LENGTH = 64
"""Longer input is not a reference; refuse it before doing any work on it."""
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
"""Crockford's decoding rule: a typed O is a zero, I and L are ones."""
_SPACES = re.compile(r"\s+")


def reference_prefix(program: Program, service: Service) -> str:
    """The service's declared prefix, else the first three letters of the program's slug."""
    if service.reference_prefix:
        return service.reference_prefix
    letters = "".join(character for character in program.slug if character.isascii() and character.isalpha())
    return letters[:3].upper() if len(letters) >= 2 else FALLBACK_PREFIX


def new_reference(prefix: str) -> str:
    """A fresh reference with ``prefix`` and 8 random characters from :data:`ALPHABET`."""
    return f"{prefix}-{''.join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))}"


def normalise_reference(typed: str) -> str | None:
    """The canonical form of a typed reference, or ``None`` if it cannot be one.

    Accepts lower case, Arabic-Indic digits, surrounding or inner spaces,
    invisible marks pasted from an SMS, and the letters Crockford reads as
    digits (O, I, L) in the code part; the prefix is kept as typed (upper-cased)
    because prefixes are letters chosen by the program.
    """
    if len(typed) > MAX_TYPED_LENGTH:
        return None
    cleaned = _SPACES.sub("", normalize_digits(strip_invisibles(typed))).upper()
    cleaned = cleaned.replace("\u2010", "-").replace("\u2011", "-").replace("\u2013", "-").replace("\u2212", "-")
    prefix, dash, code = cleaned.rpartition("-")
    if not dash:
        return None
    candidate = f"{prefix}-{code.translate(_CONFUSABLES)}"
    return candidate if REFERENCE_PATTERN.match(candidate) else None
