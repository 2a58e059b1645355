"""Step 1 of registration: does what the person typed match the registry?

The registration form asks for ID type, ID number, first name, family name and
birth date; :func:`match_registration` compares them with the registry record
and answers with one :class:`RegistryMatch`. It is a pure function (no
database, no request) so every outcome is easy to test and the registration
view only decides what to *say*.

Why names are normalised before comparing: people type the same name in many
ways, and a citizen must not be refused because of their keyboard.

- Hamza is written or left out at will: "أحمد", "احمد" and "إحمد" are one name
  to everyone who reads them; so are "آل الشيخ" and "ال الشيخ". All alef forms
  (أ إ آ ٱ) compare as a bare alef.
- Final yeh and alef maqsura (يحيى / يحيي) and teh marbuta and heh
  (فاطمة / فاطمه) are routinely swapped, and Egyptian-style writing drops
  the dots of a final yeh altogether.
- Diacritics (harakat U+064B-U+0652, the dagger alef U+0670) and the tatweel
  ``ـ`` are decoration, not spelling.
- Persian and Urdu keyboards (many residents use them) type their own yeh
  ``ی`` and kaf ``ک``, which look the same but are different characters.
- Compound names are written with or without a space or hyphen:
  "عبد الرحمن" / "عبدالرحمن", "Abdul Rahman" / "Abdulrahman", "Al-Qahtani" /
  "Al Qahtani" / "alqahtani". Spaces, hyphens and apostrophes are ignored.
- NFKC folds presentation forms and full-width letters that some input
  methods produce, and case is folded for Latin names.

A name matches when it equals the record's Arabic *or* English name (each of
first and family name separately), so a resident may type the name on their
passport. Everything else is exact: the birth date as a date (the caller has
already converted a citizen's Hijri entry to Gregorian) and the ID type.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from enum import StrEnum

from bawaba_sdk.validators import IdType

from .records import RegistryRecord

_TATWEEL = "\u0640"
_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # أ alef with hamza above
        "\u0625": "\u0627",  # إ alef with hamza below
        "\u0622": "\u0627",  # آ alef with madda
        "\u0671": "\u0627",  # ٱ alef wasla
        "\u0649": "\u064a",  # ى alef maqsura -> ي yeh
        "\u0629": "\u0647",  # ة teh marbuta -> ه heh
        "\u06cc": "\u064a",  # ی Farsi yeh -> ي
        "\u06a9": "\u0643",  # ک keheh -> ك kaf
        _TATWEEL: None,
    }
)
# Word separators people put or leave out inside a name: whitespace, hyphens,
# dashes, apostrophes and the zero-width (non-)joiners ZWNJ/ZWJ.
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015'\u2018\u2019\u02bc`\u200c\u200d]+")


class RegistryMatch(StrEnum):
    """The result of comparing a registration form with the registry."""

    MATCH = "match"
    UNKNOWN_ID = "unknown_id"
    """The registry has no person with this ID number."""
    MISMATCH = "mismatch"
    """The ID type, a name or the birth date differs from the record."""
    INACTIVE_ACCOUNT = "inactive_account"
    """Everything matches, but the person's registry (Absher) account is not active."""


def normalize_name(text: str) -> str:
    """The comparison key of a name (never shown: it drops letters' hamza and spaces)."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).translate(_LETTERS)
    return _SEPARATORS.sub("", text).casefold()


def names_match(typed: str, *candidates: str) -> bool:
    """Whether ``typed`` is one of ``candidates`` once both are normalised (an empty name never is)."""
    key = normalize_name(typed)
    return bool(key) and any(key == normalize_name(candidate) for candidate in candidates)


def match_registration(
    record: RegistryRecord | None,
    *,
    id_type: IdType | str,
    first_name: str,
    family_name: str,
    birth_date: datetime.date,
) -> RegistryMatch:
    """Compare a registration form's step 1 with the registry's record of that ID.

    Why an inactive account is reported only after everything else matched:
    saying "your account is inactive" confirms that the ID exists and whose it
    is, so only someone who already knows the person's name and birth date
    may learn it. Callers must still word UNKNOWN_ID and MISMATCH so that they
    reveal nothing of the record.
    """
    if record is None:
        return RegistryMatch.UNKNOWN_ID
    if isinstance(birth_date, datetime.datetime):
        birth_date = birth_date.date()
    same = (
        str(id_type).strip().lower() == record.id_type.value
        and names_match(first_name, record.first_name_ar, record.first_name_en)
        and names_match(family_name, record.family_name_ar, record.family_name_en)
        and birth_date == record.birth_date
    )
    if not same:
        return RegistryMatch.MISMATCH
    if not record.account_active:
        return RegistryMatch.INACTIVE_ACCOUNT
    return RegistryMatch.MATCH


__all__ = ["RegistryMatch", "match_registration", "names_match", "normalize_name"]
