"""Check that a gettext catalogue is complete, consistent and compiled.

Every string a person sees must be translated, and the committed ``.mo``
must match its ``.po``: a forgotten ``pybabel compile`` would otherwise ship
English text to Arabic readers without any test noticing.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages import pofile
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
"""Functions whose first argument is a msgid: gettext's, plus the lazy ones."""

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extracted_msgids(source_root: Path, mapping_file: Path) -> set[str]:
    """The msgids the code and templates under ``source_root`` use (singular forms)."""
    with mapping_file.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping_file))
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(source_root), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add(msgid)
    return found


def catalogue_problems(source_root: Path, mapping_file: Path, po_file: Path,
                       mo_file: Path | None = None) -> list[str]:
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
        strings = tuple(str(string or "") for string in (message.string if isinstance(message.string, tuple)
                                                         else (message.string,)))
        translated[msgid] = strings
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
        problems.extend(_placeholder_problems(msgid, str(message.id[-1] if isinstance(message.id, tuple) else message.id), strings))
    problems.extend(f"missing from {po_file.name}: {msgid!r}" for msgid in sorted(used - translated.keys()))
    problems.extend(f"obsolete in {po_file.name}: {msgid!r}" for msgid in sorted(translated.keys() - used))
    problems.extend(_compiled_problems(catalogue, mo_file))
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


def _compiled_problems(catalogue: object, mo_file: Path) -> list[str]:
    if not mo_file.exists():
        return [f"{mo_file} is missing: run pybabel compile"]
    with mo_file.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue:  # type: ignore[attr-defined]
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            got = compiled.ngettext(message.id[0], message.id[1], 1)
            want = message.string[_plural_index(compiled, 1)]
        else:
            got = compiled.gettext(message.id)
            want = message.string
        if got != want:
            return [f"{mo_file.name} is out of date with its .po (first difference: {message.id!r}): run pybabel compile"]
    return []


def _plural_index(compiled: gettext.GNUTranslations, count: int) -> int:
    return int(compiled.plural(count))  # type: ignore[attr-defined]
