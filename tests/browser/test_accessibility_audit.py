"""The accessibility audit can fail: each of its checks finds the fault it looks for on a page built to have it.

Without this, a journey whose audit passes could mean clean pages or an audit
that sees nothing (axe not injected, a viewport never resized, a selector that
matches no date). The known-bad pages have one fault per check; known-good
twins pass, so the checks do not fire on everything either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import unavailable

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from tests.browser.accessibility import DESKTOP, Auditor

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

BAD = """<!doctype html>
<html lang="ar" dir="ltr"><head><meta charset="utf-8"><title>سيئة</title></head>
<body><main><h1>صفحة سيئة</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p>آخر تغيير: <time>2026-05-01 10:30</time></p>
<div style="inline-size: 700px">جدول عريض</div>
<p style="inline-size: 4ch; overflow-wrap: anywhere">صدرت في <time dir="ltr">2026-11-22</time></p>
</main></body></html>"""
"""Wrong ``dir`` for Arabic, an image without text, a date-time reordered by the Arabic text, 700 px of
width, a date squeezed into a box too narrow for it."""

UNMIRRORED = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>غير معكوسة</title>{style}</head>
<body><main><h1>فاتورتك</h1>
<dl><dt>رقم الفاتورة</dt><dd dir="ltr">051856243806</dd></dl>
</main></body></html>"""
"""A right-to-left page whose bill number, isolated left to right, sits at the far side from its label."""

GOOD = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>جيدة</title></head>
<body><main><h1>صفحة جيدة</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="شعار">
<p>آخر تغيير: <time dir="ltr">2026-05-01 10:30</time></p>
<div style="max-inline-size: 700px">جدول يلتف</div>
</main></body></html>"""
MAIN_CSS = Path(__file__).resolve().parents[2] / "gateway" / "static" / "css" / "main.css"


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ar-SA", viewport=DESKTOP)
    yield context.new_page()
    context.close()


def test_each_check_finds_its_fault_on_a_bad_page(tab: Page) -> None:
    auditor = Auditor("bad", keep_pages=False)
    tab.set_content(BAD)
    auditor.audit(tab, "bad")

    found = "\n".join(auditor.findings)
    assert "dir='ltr'" in found
    assert "axe image-alt (critical)" in found
    assert "digits not laid out left to right in <time>2026-05-01 10:30</time>" in found
    assert 'a number broken across lines in <time dir="ltr">2026-11-22</time>' in found
    assert "scrolls sideways at 320 px" in found
    assert "scrolls sideways at 200% zoom" in found
    with pytest.raises(AssertionError, match="accessibility findings"):
        auditor.assert_clean()
    assert tab.viewport_size == DESKTOP, "the audit leaves the window as it found it"


def test_a_value_left_aligned_on_an_arabic_page_is_found_and_the_portal_stylesheet_mirrors_it(tab: Page) -> None:
    bare = Auditor("unmirrored", keep_pages=False)
    tab.set_content(UNMIRRORED.format(style=""))
    bare.audit(tab, "unmirrored")
    assert any("left-aligned on a right-to-left page: <dd" in finding for finding in bare.findings), bare.findings

    styled = Auditor("mirrored", keep_pages=False)
    tab.set_content(UNMIRRORED.format(style=f"<style>{MAIN_CSS.read_text(encoding='utf-8')}</style>"))
    styled.audit(tab, "mirrored")
    styled.assert_clean()


def test_a_good_page_passes_every_check(tab: Page) -> None:
    auditor = Auditor("good", keep_pages=False)
    tab.set_content(GOOD)
    auditor.audit(tab, "good")

    auditor.assert_clean()
    assert auditor.values_checked == 1
