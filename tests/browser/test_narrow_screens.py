"""On a phone (320 px) and at 200% zoom every table reads as a list and nothing is hidden or cut.

Not only "the page does not scroll sideways": each table cell's text must lie
inside the viewport and inside its cell (not clipped by an overflow box), and
the header must fold into a menu that opens without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from gateway.messaging.outbox import queue_message
from tests.browser.conftest import ARTIFACTS, LivePortal, demo_portal, unavailable

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect

PUBLIC_TABLES = ["/musaned/offices", "/musaned/offices/ML-1001", "/programs/social_security/rules", "/dev/outbox"]

# Every cell of every table on the page (the column headers too, unless the narrow layout moved them into each
# cell's label): its text's box (a Range over its contents) must be inside the
# viewport horizontally and not cut by any ancestor that clips (overflow other than visible).
HIDDEN_CELLS = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    if (!cell.textContent.trim()) continue;
    // A header row replaced by each cell's label on a narrow screen stays for screen readers only.
    const head = cell.closest("thead");
    if (head && getComputedStyle(head).position === "absolute") continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const box = range.getBoundingClientRect();
    const style = getComputedStyle(cell);
    if (style.display === "none" || style.visibility === "hidden") {
      problems.push(`hidden: ${cell.textContent.trim().slice(0, 40)}`);
      continue;
    }
    if (box.left < -0.5 || box.right > width + 0.5) {
      const where = `${Math.round(box.left)}..${Math.round(box.right)} of ${width}`;
      problems.push(`outside the viewport (${where}): ${cell.textContent.trim().slice(0, 40)}`);
    }
    for (let up = cell.parentElement; up && up !== document.body; up = up.parentElement) {
      const clip = getComputedStyle(up);
      if (clip.overflowX !== "visible" || clip.overflowY !== "visible") {
        const frame = up.getBoundingClientRect();
        if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) {
          const by = `${up.tagName.toLowerCase()}.${up.className}`;
          problems.push(`clipped by ${by}: ${cell.textContent.trim().slice(0, 40)}`);
        }
      }
    }
  }
  const cells = document.querySelectorAll("main table td").length;
  return {problems, scrollWidth: document.documentElement.scrollWidth, width, cells};
}
"""


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    """The demo portal, with two messages in the outbox so that its table has rows to lay out."""
    with demo_portal(make_app, tmp_path) as portal:
        with portal.app.app_context():
            session = portal.app.extensions["gateway"].db_session()
            queue_message(
                session,
                channel="sms",
                recipient="+966500000008",
                body="Your Bawaba code is 123456. It expires in 10 minutes. Never share it with anyone.",
                purpose="staff_sign_in",
            )
            queue_message(
                session,
                channel="email",
                recipient="a.very.long.address.for.a.narrow.screen@example.com",
                subject="Your application was received",
                body="We received your application MSV-73AY8SYQ and will review it within five working days.",
                purpose="notification",
            )
            session.commit()
        yield portal


def photograph(page: Page, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    language = page.evaluate("document.documentElement.lang")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"narrow-{name}-{language}-{width}")
    page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_table_cell_is_visible_at_320_px_and_at_200_percent_zoom(
    browser: Browser, live_portal: LivePortal, language: str
) -> None:
    # 320 CSS px wide; 200% zoom of a 640 px window is the same layout width at twice the scale.
    for width, scale in ((320, 1), (640, 2), (1280, 1)):
        context = browser.new_context(
            base_url=live_portal.base_url,
            viewport={"width": width // scale, "height": 700},
            device_scale_factor=scale,
            locale="ar-SA" if language == "ar" else "en-GB",
        )
        page = context.new_page()
        try:
            for path in PUBLIC_TABLES:
                answer = page.goto(path)
                assert answer is not None and answer.status == 200, (path, answer and answer.status)
                expect(page.locator("main")).to_be_visible()
                assert page.evaluate("document.querySelectorAll('main table td').length") > 0, path
                found = page.evaluate(HIDDEN_CELLS)
                assert found["problems"] == [], (path, width, found["problems"][:5])
                assert found["scrollWidth"] <= found["width"], (path, width, found)
                if path == "/musaned/offices":
                    assert found["cells"] > 20, "the directory lists its offices"
                photograph(page, path.strip("/").replace("/", "_"), width // scale)
        finally:
            context.close()


def test_the_header_folds_into_a_menu_that_opens_without_javascript(browser: Browser, live_portal: LivePortal) -> None:
    context = browser.new_context(
        base_url=live_portal.base_url, viewport={"width": 320, "height": 700}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/")
        menu_button = page.locator("label.site-menu-button")
        expect(menu_button).to_be_visible()
        expect(page.locator(".site-nav")).to_be_hidden()
        header = page.locator("header.site-header").bounding_box()
        assert header is not None and header["height"] < 200, header
        menu_button.click()
        expect(page.locator(".site-nav a").first).to_be_visible()
        expect(page.locator(".site-nav").get_by_role("link", name=re.compile("مساند|Musaned"))).to_be_visible()
        photograph(page, "menu", 320)
        menu_button.click()
        expect(page.locator(".site-nav")).to_be_hidden()
        page.focus("#site-menu-toggle")  # from the keyboard: the checkbox takes the focus, Space opens the menu
        page.keyboard.press("Space")
        expect(page.locator(".site-nav a").first).to_be_visible()
    finally:
        context.close()
    wide = browser.new_context(base_url=live_portal.base_url, viewport={"width": 1280, "height": 700})
    page = wide.new_page()
    try:
        page.goto("/")
        expect(page.locator("label.site-menu-button")).to_be_hidden()
        expect(page.locator(".site-nav a").first).to_be_visible()
    finally:
        wide.close()
