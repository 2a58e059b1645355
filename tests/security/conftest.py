"""Fixtures of the attack suite, and the verdict ``make security`` prints.

``world`` is a portal full of other people's applications, built once per
test module on a database of its own (see ``portal.py``); tests that change
settings or state build their own portal with ``secure_portal``. Every test
here is marked ``security``, so ``pytest -m security`` runs the suite alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from bawaba_sdk.testing.fixtures import TemplateDatabases, TestDatabase
from tests.security import verdict
from tests.security.portal import World, build_portal, build_world

_STARTED = time.monotonic()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``security``."""
    for item in items:
        if item.nodeid.startswith("tests/security/"):
            item.add_marker(pytest.mark.security)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """In ``make security``: print the verdict, one line per abuse case, and keep it in test-artifacts/."""
    if not verdict.full_run():
        return
    counts = verdict.tally(terminalreporter.stats)
    if not any(sum(count.values()) for count in counts.values()):
        return
    lines = verdict.verdict_lines(counts, time.monotonic() - _STARTED)
    terminalreporter.write_sep("=", "attack suite verdict")
    for line in lines:
        terminalreporter.write_line(line)
    verdict.REPORT.parent.mkdir(exist_ok=True)
    verdict.REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    terminalreporter.write_line(f"(written to {verdict.REPORT.relative_to(Path.cwd())})")


@pytest.fixture(scope="module")
def module_database(
    portal_template_databases: TemplateDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestDatabase]:
    """A database shared by one module's tests (SQLite copy or PostgreSQL schema, dropped afterwards)."""
    database = TestDatabase(portal_template_databases, tmp_path_factory.mktemp("security-module"))
    yield database
    database.drop()


@pytest.fixture(scope="module")
def module_portal(module_database: TestDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A portal shared by one module's tests, for tests that add what they need and change nothing shared."""
    app = build_portal(tmp_path_factory.mktemp("security-portal"), module_database.url())
    yield app
    app.extensions["gateway"].database.dispose()


@pytest.fixture(scope="module")
def world(module_database: TestDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Two citizens' applications, documents, bills and tickets, and staff of each kind (see ``World``)."""
    app = build_portal(tmp_path_factory.mktemp("security-world"), module_database.url())
    yield build_world(app)
    app.extensions["gateway"].database.dispose()


@pytest.fixture
def secure_portal(portal_database: TestDatabase, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build portals on this test's own database; keyword arguments override the configuration."""
    built: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = build_portal(tmp_path, portal_database.url(), **overrides)
        built.append(app)
        return app

    yield factory
    for app in built:
        app.extensions["gateway"].database.dispose()
