"""Which msgids a project's code and templates use, found as pybabel finds them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
"""Functions whose first argument is a msgid: gettext's, plus the lazy ones."""


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


__all__ = ["KEYWORDS", "extracted_msgids"]
