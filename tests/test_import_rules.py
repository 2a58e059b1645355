"""Dependencies point one way: plugins -> sdk, gateway -> sdk.

A plugin never imports ``gateway`` and the SDK never imports ``gateway`` or a
plugin. First-party plugins go further and use the portal only through
``sdk``, with the standard library and the SDK's companion libraries.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPANION_LIBRARIES = {"sqlalchemy", "marshmallow"}


def python_files(folder: Path) -> Iterator[Path]:
    yield from (path for path in folder.rglob("*.py") if "tests" not in path.relative_to(folder).parts)


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
    assert len(list(python_files(ROOT / "plugins"))) >= 9
    assert len(list(python_files(ROOT / "sdk"))) >= 8


@pytest.mark.parametrize("path", sorted(python_files(ROOT / "plugins")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_plugin_module_imports_gateway(path: Path) -> None:
    assert "gateway" not in imported_top_level_modules(path)


@pytest.mark.parametrize("path", sorted(python_files(ROOT / "sdk")), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_sdk_never_imports_the_host_or_a_plugin(path: Path) -> None:
    assert not imported_top_level_modules(path) & {"gateway", "plugins"}


@pytest.mark.parametrize("path", sorted(python_files(ROOT / "plugins")), ids=lambda p: str(p.relative_to(ROOT)))
def test_first_party_plugins_use_the_portal_only_through_the_sdk(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"sdk", "__future__", "plugins"} | COMPANION_LIBRARIES
    if "migrations" in path.parts:
        allowed |= {"alembic"}  # revision files are run by Alembic, not imported by the plugin
    outside = imported_top_level_modules(path) - allowed
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}; use what sdk exports instead"


def test_plugins_do_not_import_each_other() -> None:
    for plugin_dir in (ROOT / "plugins").iterdir():
        if not plugin_dir.is_dir() or plugin_dir.name.startswith(("_", ".")):
            continue
        for path in python_files(plugin_dir):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("plugins."):
                    assert node.module.split(".")[1] == plugin_dir.name, f"{path} imports {node.module}"


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    offending = tmp_path / "bad.py"
    offending.write_text("from gateway.host import GatewayHost\nimport gateway.database as d\n")
    assert "gateway" in imported_top_level_modules(offending)
