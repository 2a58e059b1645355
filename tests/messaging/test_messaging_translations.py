"""Every string the messaging part shows has its Arabic in gateway/messaging/MESSAGES_AR.txt."""

from __future__ import annotations

import re
from pathlib import Path

from sdk.testing.extraction import extracted_msgids

ROOT = Path(__file__).resolve().parents[2]
MESSAGES_AR = ROOT / "gateway" / "messaging" / "MESSAGES_AR.txt"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_messages_ar_covers_the_page_and_the_labels_exactly(tmp_path: Path) -> None:
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[python: gateway/messaging/**.py]\n[jinja2: gateway/templates/dev/**.html]\n")
    pairs = dict(line.split("\t") for line in MESSAGES_AR.read_text(encoding="utf-8").splitlines())
    assert set(pairs) == extracted_msgids(ROOT, mapping)
    for english, arabic in pairs.items():
        assert arabic.strip() and arabic != english
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(arabic))
