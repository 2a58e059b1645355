"""Check the files around a catalogue that ``catalogue_problems`` leaves out.

:func:`bawaba_sdk.testing.catalogues.catalogue_problems` compares a ``.po`` with the
code and uses :func:`compiled_problems` and :func:`blank_translation_problems`
from here. What only this module checks:

- a stale ``.pot``: the next ``pybabel update`` merges from the template, so
  a string added to the code but not extracted is silently dropped from the
  ``.po`` (and one removed from the code comes back);
- a ``.mo`` that differs from its ``.po`` other than in a singular
  translation: a corrected plural form (Arabic has six), a changed
  ``Plural-Forms`` rule, an entry left over from before.

It also counts a translation made only of spaces as missing, since a reader
sees nothing either way. Like ``catalogue_problems``, each check returns
readable problems; an empty list means all is well::

    assert catalogue_file_problems(ROOT, ROOT / "babel.cfg", pot_file, po_file) == []

:class:`CatalogueFiles` names the files of a plugin laid out like the
first-party ones, so a test need not spell out the paths.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from .extraction import extracted_msgids


class CatalogueFiles(NamedTuple):
    """Where a plugin's strings and catalogues are, in the argument order the checks take."""

    source_root: Path
    mapping_file: Path
    pot_file: Path
    po_file: Path
    mo_file: Path

    @classmethod
    def of_plugin(
        cls, plugin_dir: Path, domain: str, language: str = "ar", *, package: str | None = None
    ) -> CatalogueFiles:
        """The conventional layout: ``babel.cfg`` at the distribution's root, catalogues in ``translations/``.

        That is ``<package>/translations/<domain>.pot`` and
        ``<package>/translations/<language>/LC_MESSAGES/<domain>.po`` (and
        ``.mo``), where ``sdk.TranslationDomain.for_package`` looks by default;
        ``package`` is the import package's folder under ``plugin_dir`` (the
        scaffold's layout), or ``None`` when ``translations/`` sits beside ``babel.cfg``.
        """
        translations = (plugin_dir / package if package else plugin_dir) / "translations"
        messages = translations / language / "LC_MESSAGES"
        return cls(
            plugin_dir,
            plugin_dir / "babel.cfg",
            translations / f"{domain}.pot",
            messages / f"{domain}.po",
            messages / f"{domain}.mo",
        )


Entries = dict[tuple[str | None, str | tuple[str, ...]], str | tuple[str, ...]]
"""A compiled catalogue's content: (context, msgid or plural msgids) -> translation(s)."""


def catalogue_file_problems(
    source_root: Path, mapping_file: Path, pot_file: Path, po_file: Path, mo_file: Path | None = None
) -> list[str]:
    """All of this module's checks: a current ``.pot``, no blank translation, a fully current ``.mo``."""
    return [
        *template_problems(source_root, mapping_file, pot_file),
        *blank_translation_problems(po_file),
        *compiled_problems(po_file, mo_file),
    ]


def template_problems(source_root: Path, mapping_file: Path, pot_file: Path) -> list[str]:
    """Msgids the code uses that the ``.pot`` lacks, and ones it lists that the code no longer uses."""
    used = extracted_msgids(source_root, mapping_file)
    listed = {_singular(message.id) for message in _read_po(pot_file) if message.id}
    advice = "re-run pybabel extract (see babel.cfg)"
    return [
        *(f"missing from {pot_file.name}: {msgid!r}: {advice}" for msgid in sorted(used - listed)),
        *(f"obsolete in {pot_file.name}: {msgid!r}: {advice}" for msgid in sorted(listed - used)),
    ]


def blank_translation_problems(po_file: Path) -> list[str]:
    """Entries of the ``.po`` with a translation (or a plural form) that is only whitespace."""
    problems = []
    for message in _read_po(po_file):
        strings = _as_tuple(_tuple_or_str(message.string))
        if message.id and any(string and not string.strip() for string in strings):
            problems.append(f"blank translation in {po_file.name}: {_singular(message.id)!r}")
    return problems


def compiled_problems(po_file: Path, mo_file: Path | None = None) -> list[str]:
    """Differences between the committed ``.mo`` and what compiling the ``.po`` gives now.

    Compares every entry, every plural form and the header (hence the plural
    rule), the way ``pybabel compile`` would write them (fuzzy entries left out).
    """
    mo_file = mo_file or po_file.with_suffix(".mo")
    if not mo_file.exists():
        return [f"{mo_file} is missing: run pybabel compile"]
    fresh = io.BytesIO()
    write_mo(fresh, _read_po(po_file))
    fresh.seek(0)
    want = _entries(read_mo(fresh))
    with mo_file.open("rb") as handle:
        got = _entries(read_mo(handle))
    differing = sorted((key for key in want.keys() | got.keys() if want.get(key) != got.get(key)), key=repr)
    return [f"{mo_file.name} is out of date with its .po for {key[1]!r}: run pybabel compile" for key in differing]


def _read_po(path: Path) -> Catalog:
    """A ``.po`` or ``.pot``; a ``.po`` in ``<dir>/<locale>/LC_MESSAGES/`` is read in that locale, as pybabel does."""
    locale = path.parents[1].name if path.suffix == ".po" and path.parent.name == "LC_MESSAGES" else None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _entries(catalog: Catalog) -> Entries:
    return {(message.context, _tuple_or_str(message.id)): _tuple_or_str(message.string) for message in catalog}


def _tuple_or_str(value: object) -> str | tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list | tuple) else str(value or "")


def _as_tuple(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _singular(msgid: object) -> str:
    return str(msgid[0] if isinstance(msgid, list | tuple) else msgid)


__all__ = [
    "CatalogueFiles",
    "blank_translation_problems",
    "catalogue_file_problems",
    "compiled_problems",
    "template_problems",
]
