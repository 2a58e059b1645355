"""The accessibility audit every browser journey runs on the pages it visits.

On each page, in the language it is shown in, :class:`Auditor` checks:

* axe-core (the copy bundled in the ``axe-playwright-python`` wheel, so nothing
  is fetched at test time): no violation of impact "serious" or "critical";
* ``<html lang dir>``: ``ar``/``rtl`` for Arabic, ``en``/``ltr`` for English;
* mirroring: on an Arabic page no value cell (``dd``, ``td``, ``th``) set left
  to right for a number or a Latin name sits at the far, left side of its box;
* reflow: the page does not scroll sideways at 320 CSS px wide, nor at 200%
  zoom (a wide data table may scroll inside its own labelled, focusable
  region: WCAG 1.4.10 makes that exception for tables);
* numbers and dates, at each of those sizes: the digits of every date, time,
  amount and other value isolated for reading left to right are laid out left
  to right on screen, so a bidirectional reordering (an Arabic page showing
  ``10:30 2026-05-01`` for ``2026-05-01 10:30``, or a phone number's groups
  reversed) is caught, and no single figure is broken across lines (``2026-`` /
  ``11-22``, or one digit a line in a squeezed table cell).

Problems are collected, not raised one by one, so a red run lists every page's
findings at once; the page is kept under ``test-artifacts/`` for each finding.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.browser.conftest import save_artifacts

if TYPE_CHECKING:
    from playwright.sync_api import Page, ViewportSize

AXE_SCRIPT = importlib.resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
"""axe-core as shipped in the ``axe-playwright-python`` wheel (a dev dependency): no CDN, no download."""

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
DESKTOP: ViewportSize = {"width": 1280, "height": 720}
NARROW: ViewportSize = {"width": 320, "height": 640}
"""WCAG 1.4.10's reflow width: 320 CSS px (1280 px at 400%)."""
ZOOMED: ViewportSize = {"width": DESKTOP["width"] // 2, "height": DESKTOP["height"] // 2}
"""The desktop window at 200% zoom.

Browser zoom scales the CSS pixel: a 1280x720 window at 200% lays pages out
in a 640x360 CSS-pixel viewport, and media queries, percentages and
``max-inline-size`` all see 640 px. Setting that viewport is therefore the
same layout as zooming, without recreating the browser context with a
``device_scale_factor`` of 2 (which only sharpens the rendering: it does not
change any CSS length) and without CSS ``zoom`` on the root element, which
Chromium applies differently from page zoom (it does not change the viewport
that media queries see).
"""

AXE_RUN = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    targets: rule.nodes.slice(0, 5).map((node) => node.target.join(" ") + "  " + node.html.slice(0, 160)),
  }));
}
"""

OVERFLOW = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wider = [...document.body.querySelectorAll("*")]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && (box.right > width + 1 || box.left < -1);
    })
    .filter((element) => !element.closest(".table-wrapper, .outbox-scroll, .visually-hidden, .skip-link"))
    .slice(0, 5)
    .map((element) => element.outerHTML.slice(0, 160));
  return {scrollWidth: root.scrollWidth, clientWidth: width, wider};
}
"""

MISALIGNED = """
() => {
  if (getComputedStyle(document.documentElement).direction !== "rtl") return [];
  const found = [];
  for (const element of document.body.querySelectorAll("dd, td, th")) {
    const style = getComputedStyle(element);
    if (style.direction !== "ltr") continue;
    if (getComputedStyle(element.parentElement).direction !== "rtl") continue;
    if (!element.textContent.trim() || element.closest(".visually-hidden")) continue;
    const range = document.createRange();
    range.selectNodeContents(element);
    const content = range.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    const inner = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    if (content.width > 0 && inner - content.right > 2) found.push(element.outerHTML.slice(0, 160));
  }
  return found;
}
"""
"""Values set left to right (a ``<dd dir="ltr">`` or a table cell holding a number or a Latin name) on a
right-to-left page whose text sits at their left edge, away from the Arabic label or heading it belongs to:
the layout is not mirrored there. Free text (a message, a comment) may keep its own alignment."""

VALUES = "time, [dir=ltr]:not(html, input, textarea, select), #bill-amount, .bill-amount"
"""Elements that hold one value read left to right: dates and times, isolated numbers, the bill's amount."""

DIGIT_ORDER = """
(selector) => {
  const digit = /[0-9\\u0660-\\u0669\\u06F0-\\u06F9]/;
  const joiner = /[-\\u2010\\u2212,.:/\\u066B\\u066C]/;
  const problems = [];
  const checked = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!digit.test(element.textContent) || element.closest(".visually-hidden")) continue;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const digits = [];
    let token = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      token++;
      for (let index = 0; index < node.data.length; index++) {
        const character = node.data[index];
        if (!digit.test(character)) {
          if (!joiner.test(character)) token++;
          continue;
        }
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0) digits.push({x: box.left + box.width / 2, top: box.top, bottom: box.bottom, token});
      }
    }
    checked.push(element.textContent.trim());
    // A value written with words ("15 ديسمبر 2026") is a phrase: its numbers follow the page's direction,
    // and only the digits of each number must run left to right.
    const words = /[A-Za-z\u0621-\u064a]/.test(element.textContent);
    for (let index = 1; index < digits.length; index++) {
      const [before, after] = [digits[index - 1], digits[index]];
      const sameLine = after.top < before.bottom && before.top < after.bottom;
      if (sameLine && after.x <= before.x && (!words || after.token === before.token)) {
        problems.push("digits not laid out left to right in " + element.outerHTML.slice(0, 200));
        break;
      }
      if (!sameLine && after.token === before.token) {
        problems.push("a number broken across lines in " + element.outerHTML.slice(0, 200));
        break;
      }
    }
  }
  return {problems, checked};
}
"""
"""For each value element: its digits in reading order must run left to right on a line (in a value written
with words, such as a date with its month's name, within each number), and one number
(digits joined by ``- , . : /`` or the Arabic separators, with no space) must stay on one line; a value
may wrap only between its parts (``2026-05-01`` / ``10:30``)."""

ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def latin_digits(text: str) -> str:
    """``text`` with Arabic-Indic digits (either block) written as 0-9, to compare figures across languages."""
    return text.translate(ARABIC_INDIC)


def figures(text: str) -> list[str]:
    """The runs of digits in ``text`` in reading order, as Latin digits: ``"1,250.00 SAR"`` → ``["1", "250", "00"]``."""
    return re.findall(r"\d+", latin_digits(text))


@dataclass
class Auditor:
    """Audits pages as a journey goes and keeps what it found (see the module docstring)."""

    nodeid: str
    keep_pages: bool = True
    """Save each page with a finding under test-artifacts/ (off for the audit's own test of known-bad pages)."""
    findings: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    values_checked: int = 0

    def audit(self, page: Page, label: str) -> None:
        """Run every check on ``page`` as it is now shown; ``label`` names it in the report."""
        language = page.evaluate("document.documentElement.lang")
        where = f"{label} [{language}] {page.url}"
        before = len(self.findings)
        self._check_language(page, where, language)
        self._check_axe(page, where)
        self._check_layout(page, where)
        self.audited.append(where)
        if self.keep_pages and len(self.findings) > before:
            save_artifacts(page, f"{self.nodeid}-{label}-{language}")

    def audit_both(self, page: Page, label: str) -> None:
        """Audit the page, switch it to the other language with the header's button, audit, switch back."""
        first = page.evaluate("document.documentElement.lang")
        self.audit(page, label)
        other = "en" if first == "ar" else "ar"
        switch_language(page, other)
        self.audit(page, label)
        switch_language(page, first)

    def assert_clean(self) -> None:
        """Fail with every finding of the journey, one per line."""
        assert not self.findings, "accessibility findings:\n" + "\n".join(self.findings)

    def _check_language(self, page: Page, where: str, language: str) -> None:
        direction = page.evaluate("document.documentElement.dir")
        expected = {"ar": "rtl", "en": "ltr"}.get(language)
        if expected is None or direction != expected:
            self.findings.append(f"{where}: <html lang={language!r} dir={direction!r}>, expected ar/rtl or en/ltr")

    def _check_axe(self, page: Page, where: str) -> None:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(AXE_SCRIPT)
        violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
        for violation in violations:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = "\n    ".join(violation["targets"])
                self.findings.append(
                    f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']}\n    {targets}"
                )

    def _check_layout(self, page: Page, where: str) -> None:
        """Mirroring and figures at the desktop size, then figures and sideways scrolling at 320 px and 200% zoom."""
        for element in page.evaluate(MISALIGNED):
            self.findings.append(f"{where}: left-aligned on a right-to-left page: {element}")
        try:
            self._check_digits(page, where, "desktop")
            for name, viewport in (("320 px", NARROW), ("200% zoom", ZOOMED)):
                page.set_viewport_size(viewport)
                layout = page.evaluate(OVERFLOW)
                if layout["scrollWidth"] > layout["clientWidth"]:
                    wider = "\n    ".join(layout["wider"])
                    self.findings.append(
                        f"{where}: scrolls sideways at {name} "
                        f"({layout['scrollWidth']} > {layout['clientWidth']} px)\n    {wider}"
                    )
                self._check_digits(page, where, name)
        finally:
            page.set_viewport_size(DESKTOP)

    def _check_digits(self, page: Page, where: str, size: str) -> None:
        result = page.evaluate(DIGIT_ORDER, VALUES)
        if size == "desktop":
            self.values_checked += len(result["checked"])
        self.findings.extend(f"{where} at {size}: {problem}" for problem in result["problems"])


def switch_language(page: Page, language: str) -> None:
    """Press the header's language button for ``language`` and wait for the same page in it."""
    with page.expect_navigation():
        page.click(f"form.language-switch button[name=language][value={language}]")
    lang = page.evaluate("document.documentElement.lang")
    assert lang == language, f"the language switch to {language} showed a page in {lang}"
