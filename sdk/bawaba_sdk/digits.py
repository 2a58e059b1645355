"""Digit and separator normalisation for user-typed identifiers.

Why this exists: Arabic keyboards (and phones set to Arabic) type Arabic-Indic
digits (``٠١٢٣٤٥٦٧٨٩``, U+0660-U+0669); Persian/Urdu keyboards type the
"extended" forms (``۰۱۲۳۴۵۶۷۸۹``, U+06F0-U+06F9). People also paste numbers out
of SMS messages and PDFs that carry invisible bidirectional marks (LRM, RLM,
ALM) and non-breaking spaces. A citizen who types their ID number correctly must
never be told it is wrong because of *how* their keyboard encoded it, so every
SDK validator runs its input through these helpers first.

``str.isdigit`` and ``int()`` already accept many Unicode digits, which is
exactly why we do not rely on them: they would also accept e.g. Devanagari or
superscript digits silently. Here the accepted alphabets are explicit.
"""

from __future__ import annotations

import re

_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669
_EXTENDED_ARABIC_INDIC = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9

_DIGIT_TABLE = str.maketrans(
    _ARABIC_INDIC + _EXTENDED_ARABIC_INDIC,
    "0123456789" * 2,
)

# Invisible formatting characters that ride along with copy/paste:
# LRM, RLM, ALM, the embedding/override/isolate controls, zero-width
# space/joiners and the BOM. None of them is ever meaningful inside a number.
_INVISIBLES = re.compile("[\u200b\u200c\u200d\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")

# Characters people use to group digits: any whitespace (``\s`` covers NBSP,
# narrow NBSP and the other Unicode spaces) and the hyphen/dash family.
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015\u2212\u00ad]")


def normalize_digits(text: str) -> str:
    """Return ``text`` with Arabic-Indic and Persian digits replaced by ASCII ones.

    Everything else (letters, punctuation, other scripts' digits) is left
    untouched so that callers can still reject it with a precise message.
    """
    return text.translate(_DIGIT_TABLE)


def strip_invisibles(text: str) -> str:
    """Remove bidi/zero-width marks and surrounding whitespace.

    Use this for values whose inner punctuation matters (dates, amounts),
    where :func:`strip_separators` would be too aggressive.
    """
    return _INVISIBLES.sub("", text).strip()


def strip_separators(text: str) -> str:
    """Remove invisible marks, all whitespace and hyphen/dash characters.

    Use this for pure digit strings (ID numbers, phone numbers) that people
    write as ``1012 345 678`` or ``050-123-4567``.
    """
    return _SEPARATORS.sub("", _INVISIBLES.sub("", text))


def clean_digits(text: str) -> str:
    """Shorthand for ``strip_separators(normalize_digits(text))``."""
    return strip_separators(normalize_digits(text))


__all__ = ["clean_digits", "normalize_digits", "strip_invisibles", "strip_separators"]
