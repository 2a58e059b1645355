"""The guide checked against the code: the SDK version it describes, every fixture and every public name of the kit.

A name added to the SDK's test kit without a word in "Testing your plugin"
fails here, as does a guide still describing an older SDK (``tests/test_hookspecs.py``
does the same for hooks).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import bawaba_sdk
import bawaba_sdk.testing
from bawaba_sdk.testing import fixtures

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
KIT_MODULES = [name for name in bawaba_sdk.testing.__all__ if name not in {"fixtures", "host_kit", "extraction"}]
"""The kit's modules a plugin author uses (``host_kit`` is the host's contract, ``extraction`` an internal helper)."""


def kit_section() -> str:
    start = GUIDE.index("## Testing your plugin")
    return GUIDE[start : GUIDE.index("\n## ", start + 1)]


def test_the_guide_describes_the_installed_sdk() -> None:
    major_minor = ".".join(bawaba_sdk.__version__.split(".")[:2])
    assert f'SDK\nversion {major_minor} (`bawaba_sdk.__version__ == "{bawaba_sdk.__version__}"`' in GUIDE


def test_the_changelog_has_the_installed_version() -> None:
    changelog = (ROOT / "sdk" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(bawaba_sdk.__version__)}\b", changelog, re.M)


@pytest.mark.parametrize(
    "name", [name for name in fixtures.__all__ if name in {"make_portal", "sign_in_as", "sign_in_staff"}]
)
def test_every_fixture_for_plugin_authors_is_in_the_guide_with_an_example(name: str) -> None:
    section = kit_section()
    assert f"`{name}`" in section, f"the guide's 'Testing your plugin' does not name the fixture {name}"
    assert re.search(rf"```python\n(?:(?!```).)*\b{name}\b", section, re.S), f"no example uses {name}"


@pytest.mark.parametrize("module", KIT_MODULES)
def test_every_kit_module_and_its_public_names_are_in_the_guide(module: str) -> None:
    section = kit_section()
    loaded = importlib.import_module(f"bawaba_sdk.testing.{module}")
    assert f"bawaba_sdk.testing.{module}" in section or f"sdk.testing.{module}" in section, module
    missing = [name for name in loaded.__all__ if not name.isupper() and name not in section]
    assert not missing, f"bawaba_sdk.testing.{module}: {missing} are not in the guide's 'Testing your plugin'"


def test_every_kit_module_is_typed_and_lists_its_names() -> None:
    assert (ROOT / "sdk" / "bawaba_sdk" / "py.typed").exists()
    for module in bawaba_sdk.testing.__all__:
        loaded = importlib.import_module(f"bawaba_sdk.testing.{module}")
        assert isinstance(getattr(loaded, "__all__", None), list), f"bawaba_sdk.testing.{module} has no __all__"
        for name in loaded.__all__:
            assert hasattr(loaded, name), f"bawaba_sdk.testing.{module}.__all__ names {name}, which is not there"
