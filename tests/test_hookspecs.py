"""Every hook is documented in one template, in the SDK and in the author's guide."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from bawaba_sdk import __version__ as sdk_version
from bawaba_sdk import hookspecs

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "plugin-guide.md"
SECTIONS = ("When:", "Parameters:", "Returns:", "First result wins:", "Added in:")


def hook_functions() -> list[tuple[str, object]]:
    return [
        (name, function)
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("gateway_")
    ]


def test_there_are_hooks() -> None:
    assert len(hook_functions()) >= 6


@pytest.mark.parametrize(("name", "function"), hook_functions(), ids=[name for name, _ in hook_functions()])
def test_hook_docstring_follows_the_template(name: str, function: object) -> None:
    doc = inspect.getdoc(function) or ""
    positions = [doc.find(section) for section in SECTIONS]
    assert all(position > 0 for position in positions), f"{name} lacks one of {SECTIONS}"
    assert positions == sorted(positions), f"{name}: sections out of order"
    assert doc.splitlines()[0].endswith("."), "the first line says what the hook is for, as a sentence"
    parameters = list(inspect.signature(function).parameters)
    parameter_block = doc[doc.find("Parameters:") : doc.find("Returns:")]
    if parameters:
        for parameter in parameters:
            assert re.search(rf"^\s+{parameter}:", parameter_block, re.M), f"{name} does not document {parameter}"
    else:
        assert "Parameters: none." in parameter_block
    added = re.search(r"Added in: (\d+\.\d+)", doc)
    assert added and tuple(map(int, added.group(1).split("."))) <= tuple(map(int, sdk_version.split(".")[:2]))
    first_result = doc[doc.find("First result wins:") :].split("\n")[0]
    assert re.match(r"First result wins: (yes|no)\b", first_result)


@pytest.mark.parametrize(("name", "function"), hook_functions(), ids=[name for name, _ in hook_functions()])
def test_hook_is_in_the_plugin_authors_guide_with_signature_and_example(name: str, function: object) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    heading = re.search(rf"^### `{name}\((.*?)\)`", guide, re.M)
    assert heading, f"docs/plugin-guide.md has no '### `{name}(...)`' section"
    documented = [part.split(":")[0].strip() for part in heading.group(1).split(",") if part.strip()]
    assert documented == list(inspect.signature(function).parameters)
    section = guide[heading.end() :]
    next_heading = re.search(r"^##", section, re.M)
    section = section[: next_heading.start() if next_heading else None]
    assert "```python" in section and "@hookimpl" in section, f"{name} has no example in the guide"


def test_every_hook_is_implemented_by_a_sample_or_first_party_plugin() -> None:
    sources = [path.read_text(encoding="utf-8") for path in (ROOT / "plugins").rglob("*.py")]
    sources += [path.read_text(encoding="utf-8") for path in (ROOT / "tests" / "sample_plugins").rglob("*.py")]
    for name, _ in hook_functions():
        assert any(f"def {name}(" in source for source in sources), f"no plugin exercises {name}"


@pytest.mark.parametrize(("name", "function"), hook_functions(), ids=[name for name, _ in hook_functions()])
def test_first_result_wins_says_what_pluggy_does(name: str, function: object) -> None:
    doc = inspect.getdoc(function) or ""
    says_yes = doc[doc.find("First result wins:") :].startswith("First result wins: yes")
    options = getattr(function, "gateway_spec", {})
    assert bool(options.get("firstresult")) == says_yes, f"{name}: the docstring and firstresult disagree"
