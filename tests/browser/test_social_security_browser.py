"""Social security's public pages in a real browser: the programme page and the estimate, audited in both languages.

A live portal serves the social security plugin with the real CSRF
protection. A visitor without an account opens the programme page, follows
the estimate service, builds the issue's first worked example (a head, a
spouse and four children, a salary of 1,500) with the "add a member" button,
asks for the estimate and reads 3,120.00 with its lines; a mistake is shown
next to its field. Every page is audited in Arabic and English
(``tests/browser/accessibility.py``: axe-core, ``lang``/``dir``, 320 px and
200% zoom, figures kept whole).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.browser.conftest import LivePortal, browser_config, unavailable
from tests.live_server import serving

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page, expect

from tests.browser.accessibility import Auditor


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    app = make_app(**browser_config(tmp_path, PLUGINS="social_security"))
    with serving(app) as base_url:
        yield LivePortal(app, base_url)


def test_a_visitor_estimates_the_family_of_six_without_an_account(page: Page, request: pytest.FixtureRequest) -> None:
    auditor = Auditor(request.node.nodeid)
    page.goto("/social_security/")
    auditor.audit_both(page, "programme page")

    page.click("#service-estimate a")
    expect(page.locator("h1")).to_have_text("تقدير الدعم")
    auditor.audit_both(page, "estimate form")

    for _ in range(4):
        with page.expect_navigation():
            page.click("button[name=add][value=member]")
    page.fill("#on", "2026-12-01")
    for row in range(2, 6):
        page.select_option(f"#m-{row}-relationship", "child")
    page.fill("#i-0-amount", "1500")
    with page.expect_navigation():
        page.click("button[name=estimate]")

    expect(page.locator(".explanation__total")).to_contain_text("3,120.00")
    expect(page.locator(".explanation__lines")).to_contain_text("1,320.00")
    auditor.audit_both(page, "estimate with its explanation")

    page.fill("#m-3-birth_date", "2999-01-01")
    with page.expect_navigation():
        page.click("button[name=estimate]")
    expect(page.locator(".error-summary a[href='#m-3-birth_date']")).to_be_visible()
    expect(page.locator("#m-3-birth_date")).to_have_attribute("aria-invalid", "true")
    auditor.audit_both(page, "estimate with a mistake")

    auditor.assert_clean()
