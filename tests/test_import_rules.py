"""Dependencies point one way: plugins -> bawaba_sdk, gateway -> bawaba_sdk.

A plugin never imports ``gateway`` and the SDK never imports ``gateway`` or a
plugin. First-party plugins go further and use the portal only through
``bawaba_sdk``, with the standard library and the SDK's companion libraries;
their tests too, which use only the SDK's test kit (and pytest).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
COMPANION_LIBRARIES = {"sqlalchemy", "marshmallow"}
TEST_LIBRARIES = {"pytest", "flask", "werkzeug", "alembic"}
"""What a plugin's tests may import besides the SDK: the test runner, the web objects the kit hands out,
and Alembic, which runs the plugin's own migrations (a test compares them with its tables)."""


def python_files(folder: Path, *, tests: bool = False) -> Iterator[Path]:
    """The ``.py`` files under ``folder``; only those under a ``tests`` folder when ``tests``."""
    for path in folder.rglob("*.py"):
        if (".venv" in path.parts) or ("build" in path.relative_to(folder).parts):
            continue
        if ("tests" in path.relative_to(folder).parts) == tests:
            yield path


def plugin_package(path: Path) -> str:
    """The import name of the plugin that owns ``path`` (``plugins/<name>/...`` ships ``bawaba_<name>``)."""
    return "bawaba_" + path.relative_to(PLUGINS).parts[0]


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_there_are_plugin_and_sdk_files_to_check() -> None:
    assert len(list(python_files(PLUGINS))) >= 9
    assert len(list(python_files(PLUGINS, tests=True))) >= 3
    assert len(list(python_files(ROOT / "sdk"))) >= 8


@pytest.mark.parametrize(
    "path",
    sorted([*python_files(PLUGINS), *python_files(PLUGINS, tests=True)]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_plugin_module_or_plugin_test_imports_gateway(path: Path) -> None:
    assert "gateway" not in imported_top_level_modules(path)


@pytest.mark.parametrize("path", sorted(python_files(ROOT / "sdk")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_sdk_never_imports_the_host_or_a_plugin(path: Path) -> None:
    imported = imported_top_level_modules(path)
    assert "gateway" not in imported
    assert not {name for name in imported if name.startswith("bawaba_") and name != "bawaba_sdk"}


@pytest.mark.parametrize("path", sorted(python_files(PLUGINS)), ids=lambda p: str(p.relative_to(ROOT)))
def test_first_party_plugins_use_the_portal_only_through_the_sdk(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"bawaba_sdk", "__future__", plugin_package(path)} | COMPANION_LIBRARIES
    if "migrations" in path.parts:
        allowed |= {"alembic"}  # revision files are run by Alembic, not imported by the plugin
    outside = imported_top_level_modules(path) - allowed
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}; use what bawaba_sdk exports instead"


@pytest.mark.parametrize("path", sorted(python_files(PLUGINS, tests=True)), ids=lambda p: str(p.relative_to(ROOT)))
def test_plugin_tests_use_only_the_sdk_and_its_kit(path: Path) -> None:
    allowed = (
        set(sys.stdlib_module_names)
        | {"bawaba_sdk", "__future__", plugin_package(path)}
        | COMPANION_LIBRARIES
        | TEST_LIBRARIES
        | {sibling.stem for sibling in path.parent.glob("*.py")}  # the tests' own helper modules, beside them
    )
    outside = imported_top_level_modules(path) - allowed
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}; use bawaba_sdk.testing instead"


def test_plugins_do_not_import_each_other() -> None:
    for path in [*python_files(PLUGINS), *python_files(PLUGINS, tests=True)]:
        others = {
            name
            for name in imported_top_level_modules(path)
            if name.startswith("bawaba_") and name not in {"bawaba_sdk", plugin_package(path)}
        }
        assert not others, f"{path} imports {sorted(others)}"


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    offending = tmp_path / "bad.py"
    offending.write_text("from gateway.host import GatewayHost\nimport gateway.database as d\n")
    assert "gateway" in imported_top_level_modules(offending)
