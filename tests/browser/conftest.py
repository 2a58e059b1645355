"""A live portal and a real headless Chromium for the browser tests.

The folder is skipped, with the reason, when Playwright or a Chromium binary
is missing: the browser comes from the system (Debian's ``chromium``), never
downloaded by ``playwright install``. On failure the page is kept as a
screenshot and HTML under ``test-artifacts/`` so a red run can be read later.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

from gateway.backoffice import init_backoffice
from gateway.cli import cli
from tests.live_server import serving
from tests.sample_plugins import entry_points

CHROMIUM = shutil.which("chromium")
"""The system's Chromium (Debian's ``chromium`` package, /usr/bin/chromium); never a downloaded one."""
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or ``None``; the test module skips itself with this reason.

    A conftest cannot skip at import time (pytest reports that as an error), so
    the check lives here and the test module calls it before importing Playwright.
    """
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[dev]'); browser tests skipped"
    if CHROMIUM is None:
        return "no chromium binary on PATH (apt-get install chromium); browser tests skipped"
    return None


if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@dataclass
class LivePortal:
    """The app (to read the outbox) and the address the browser talks to."""

    app: Flask
    base_url: str


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def browser_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """What every live portal of these tests runs with: the real CSRF protection, roomy rate limits."""
    return {
        "RATE_LIMIT_SIGNIN": "1000/minute",
        "RATE_LIMIT_REGISTRATION": "1000/minute",
        "RATE_LIMIT_CODES": "1000/minute",
        "DOCUMENT_STORAGE_PATH": str(tmp_path / "documents"),
        "WTF_CSRF_ENABLED": True,
        **overrides,
    }


@contextmanager
def demo_portal(make_app: Callable[..., Flask], tmp_path: Path, **overrides: Any) -> Iterator[LivePortal]:
    """The first-party programs (or those ``PLUGINS`` names), the back office and the demo data, over HTTP."""
    app = make_app(**browser_config(tmp_path, **overrides))
    if "gateway.backoffice" not in app.extensions:
        init_backoffice(app)
    loaded = CliRunner().invoke(cli, ["demo", "load"], obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output
    with serving(app) as base_url:
        yield LivePortal(app, base_url)


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    """The permits test portal with the real CSRF protection, served over real HTTP."""
    permits = entry_points(permits="tests.sample_plugins.permits.plugin")
    app = make_app(**browser_config(tmp_path, PLUGINS="permits", PLUGIN_ENTRY_POINTS=permits))
    with serving(app) as base_url:
        yield LivePortal(app, base_url)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session: starting it is the slow part."""
    from playwright.sync_api import sync_playwright

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_portal: LivePortal, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh Arabic-speaking browser context; on failure its last page is saved for reading."""
    context = browser.new_context(locale="ar-SA", base_url=live_portal.base_url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            save_artifacts(tab, request.node.nodeid)
        context.close()


def save_artifacts(tab: Page, nodeid: str) -> None:
    """Write a screenshot and the HTML of ``tab``; never let saving hide the real failure."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(tab.content(), encoding="utf-8")
    except Exception as error:  # best effort: the test's own failure is what matters
        print(f"could not save browser artifacts for {nodeid}: {error}")
