"""Reading a reference number the way a person types it: ``msv-7kq2x9pb``, ``MSV ٧KQ2X9PB``.

The host makes the references (``gateway.applications.references``); plugins
let people look their requests up by them. One normaliser for both keeps a
lookup box on a program's page as forgiving as the portal's own.
"""

from __future__ import annotations

import re

from .digits import normalize_digits, strip_invisibles

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: digits and capital letters without I, L, O and U."""
CODE_LENGTH = 8
REFERENCE_PATTERN = re.compile(r"^[A-Z]{2,5}-[" + ALPHABET + r"]{" + str(CODE_LENGTH) + r"}$")
MAX_TYPED_LENGTH = 64
"""Longer input is not a reference; refuse it before doing any work on it."""
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
"""Crockford's decoding rule: a typed O is a zero, I and L are ones."""
_SPACES = re.compile(r"\s+")
_DASHES = re.compile("[\u2010-\u2015\u2212]")
"""Hyphen and dash look-alikes that keyboards and SMS apps put in place of "-"."""


def normalise_reference(typed: str) -> str | None:
    """The canonical form of a typed reference, or ``None`` if it cannot be one.

    Accepts lower case, Arabic-Indic digits, surrounding or inner spaces,
    invisible marks pasted from an SMS, dash look-alikes, and the letters
    Crockford reads as digits (O, I, L) in the code part; the prefix is kept
    as typed (upper-cased) because prefixes are letters chosen by the program.
    """
    if len(typed) > MAX_TYPED_LENGTH:
        return None
    cleaned = _DASHES.sub("-", _SPACES.sub("", normalize_digits(strip_invisibles(typed)))).upper()
    prefix, dash, code = cleaned.rpartition("-")
    if not dash:
        return None
    candidate = f"{prefix}-{code.translate(_CONFUSABLES)}"
    return candidate if REFERENCE_PATTERN.match(candidate) else None
