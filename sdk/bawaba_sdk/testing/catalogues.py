"""Check that a gettext catalogue is complete, consistent and compiled.

Every string a person sees must be translated, and the committed ``.mo``
must match its ``.po``: a forgotten ``pybabel compile`` would otherwise ship
English text to Arabic readers without any test noticing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages import pofile

from .catalogue_files import blank_translation_problems, compiled_problems
from .extraction import extracted_msgids

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalogue_problems(source_root: Path, mapping_file: Path, po_file: Path, mo_file: Path | None = None) -> list[str]:
    """Every problem found, as readable lines; an empty list means all is well."""
    mo_file = mo_file or po_file.with_suffix(".mo")
    with po_file.open("rb") as handle:
        catalogue = pofile.read_po(handle)
    problems: list[str] = []
    used = extracted_msgids(source_root, mapping_file)
    translated: dict[str, tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id:
            continue
        msgid = str(message.id[0] if isinstance(message.id, tuple) else message.id)
        strings = tuple(
            str(string or "") for string in (message.string if isinstance(message.string, tuple) else (message.string,))
        )
        translated[msgid] = strings
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
        elif any(string == msgid and any(character.isalpha() for character in msgid) for string in strings):
            problems.append(f"translation is a copy of the English: {msgid!r}")
        problems.extend(
            _placeholder_problems(msgid, str(message.id[-1] if isinstance(message.id, tuple) else message.id), strings)
        )
    problems.extend(f"missing from {po_file.name}: {msgid!r}" for msgid in sorted(used - translated.keys()))
    problems.extend(f"obsolete in {po_file.name}: {msgid!r}" for msgid in sorted(translated.keys() - used))
    problems.extend(blank_translation_problems(po_file))
    problems.extend(compiled_problems(po_file, mo_file))
    return problems


def _placeholder_problems(msgid: str, source: str, strings: Iterable[str]) -> list[str]:
    expected = set(PLACEHOLDER.findall(source))
    problems = []
    for string in strings:
        if string and set(PLACEHOLDER.findall(string)) - expected:
            problems.append(f"unknown placeholder in the translation of {msgid!r}: {string!r}")
        if string and expected - set(PLACEHOLDER.findall(string)) - {"num"}:
            problems.append(f"placeholder dropped in the translation of {msgid!r}: {string!r}")
    return problems


__all__ = ["PLACEHOLDER", "catalogue_problems"]
