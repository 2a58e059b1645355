"""The template API: every macro under the host's ``sdk/`` templates is documented, and plugins import nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK_TEMPLATES = ROOT / "gateway" / "templates" / "sdk"
GUIDE = (ROOT / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
LAYOUTS = {"base.html", "program.html"}
"""The layouts a plugin's pages extend (the guide names both)."""
IMPORT = re.compile(r'{%-?\s*(?:from|import|include|extends)\s+"([^"]+)"')


def template_api_section() -> str:
    start = GUIDE.index("## Template API")
    return GUIDE[start : GUIDE.index("\n## ", start + 1)]


def public_macros() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SDK_TEMPLATES.glob("*.html")):
        for name in re.findall(r"{%-?\s*macro\s+(\w+)\(", path.read_text(encoding="utf-8")):
            if not name.startswith("_"):
                found.append((path.name, name))
    return found


@pytest.mark.parametrize(("template", "macro"), public_macros())
def test_every_macro_of_the_template_api_is_documented_with_an_example(template: str, macro: str) -> None:
    section = template_api_section()
    assert f"`{macro}(" in section, f"sdk/{template}: {macro} is not described in the guide's 'Template API'"
    assert re.search(rf'```jinja\n{{% from "sdk/{template}" import [^%]*\b{macro}\b', section), (
        f"no example imports {macro} from sdk/{template}"
    )


def plugin_templates() -> list[Path]:
    return sorted((ROOT / "plugins").glob("*/bawaba_*/templates/**/*.html"))


@pytest.mark.parametrize("path", plugin_templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_plugins_import_only_the_template_api_and_their_own_templates(path: Path) -> None:
    own = path.relative_to(next(parent for parent in path.parents if parent.name == "templates")).parts[0]
    for name in IMPORT.findall(path.read_text(encoding="utf-8")):
        assert name.startswith(("sdk/", f"{own}/")) or name in LAYOUTS, (
            f"{path.relative_to(ROOT)} uses the host's {name}; use the template API (sdk/...) instead"
        )
