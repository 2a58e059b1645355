"""Every string the provider shows has its Arabic in gateway/oidc/MESSAGES_AR.txt."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

import gateway.oidc

PACKAGE = Path(gateway.oidc.__file__).parent
TEMPLATES = PACKAGE.parent / "templates" / "oidc"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _extracted() -> set[str]:
    messages = set()
    for folder, method in ((PACKAGE, ("*.py", "python")), (TEMPLATES, ("*.html", "jinja2"))):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[method], keywords={"_": None, "_l": None}
        ):
            messages.add(message)
    return messages


def test_messages_ar_covers_every_msgid_with_the_same_placeholders() -> None:
    translations = dict(
        line.split("\t") for line in (PACKAGE / "MESSAGES_AR.txt").read_text(encoding="utf-8").splitlines()
    )
    extracted = _extracted()
    assert len(extracted) >= 15
    assert set(translations) == extracted
    for msgid, arabic in translations.items():
        assert re.search(r"[\u0600-\u06FF]", arabic), msgid
        assert sorted(PLACEHOLDER.findall(arabic)) == sorted(PLACEHOLDER.findall(msgid)), msgid
