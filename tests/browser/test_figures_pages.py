"""The pages that show a program's figures, in a real browser: audited and photographed in both languages.

A live portal serves the ``allowance`` test plugin. Each page is audited for
accessibility in Arabic and English (``tests/browser/accessibility.py``) and
kept as screenshots at 1280 and 320 px in both languages under
``test-artifacts/``, to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.browser.conftest import ARTIFACTS, LivePortal, browser_config, unavailable
from tests.live_server import serving
from tests.sample_plugins import ALLOWANCE, entry_points

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page

from tests.browser.accessibility import Auditor, switch_language


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    app = make_app(
        **browser_config(tmp_path, PLUGINS="allowance", PLUGIN_ENTRY_POINTS=entry_points(allowance=ALLOWANCE))
    )
    with serving(app) as base_url:
        yield LivePortal(app, base_url)


def photograph(page: Page, name: str) -> None:
    """Screenshots of the page as shown now, at 1280 and 320 px wide, named after the page and its language."""
    ARTIFACTS.mkdir(exist_ok=True)
    language = page.evaluate("document.documentElement.lang")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"figures-{name}-{language}")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{stem}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def audit_and_photograph(page: Page, auditor: Auditor, name: str) -> None:
    for language in ("ar", "en"):
        if page.evaluate("document.documentElement.lang") != language:
            switch_language(page, language)
        auditor.audit(page, name)
        photograph(page, name)


def test_the_rules_page_in_both_languages(page: Page, request: pytest.FixtureRequest) -> None:
    auditor = Auditor(request.node.nodeid)
    page.goto("/allowance/")
    with page.expect_navigation():
        page.get_by_role("link", name="اقرأ قواعد بدل الأسرة ومبالغه").click()
    assert page.url.endswith("/programs/allowance/rules")
    assert page.locator("h2").first.inner_text() == "بدل الأسرة الأساسي"
    audit_and_photograph(page, auditor, "rules")
    auditor.assert_clean()


def test_an_explanation_in_both_languages(page: Page, request: pytest.FixtureRequest) -> None:
    auditor = Auditor(request.node.nodeid)
    page.goto("/allowance/estimate?children=9&income=250.00")
    assert "2,500.00" in page.locator(".explanation__total strong").inner_text()
    audit_and_photograph(page, auditor, "explanation")
    page.goto("/allowance/estimate?children=1&abroad=5")
    audit_and_photograph(page, auditor, "explanation-not-eligible")
    auditor.assert_clean()
