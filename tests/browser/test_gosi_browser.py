"""GOSI in a real browser: activation by a code, the record, the pension estimate, the application, the public check.

A live portal serves GOSI (sandbox records) with the real CSRF protection.
Abdulrahman (1000000040, 453 months) registers, opens My social insurance,
activates it with the code sent to his mobile, reads his employment record
and his pension estimate (13,212.50, line by line), and applies with his IBAN
and his bank's letter; then a visitor checks a certificate code on the public
page and is told, next to the field, that nothing matches. Every page is
audited in Arabic and English (``tests/browser/accessibility.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from bawaba_sdk.validators import make_saudi_iban
from gateway.registry.adapter import registry_for
from tests.browser.conftest import LivePortal, browser_config, unavailable
from tests.identity.conftest import latest_code
from tests.live_server import serving

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page, expect

from tests.browser.accessibility import Auditor
from tests.browser.test_journeys_a11y import expect_path, register, submit

RETIRED = "1000000040"
SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    app = make_app(**browser_config(tmp_path, PLUGINS="gosi"))
    with serving(app) as base_url:
        yield LivePortal(app, base_url)


def test_a_retired_contributor_activates_reads_and_applies(
    page: Page, live_portal: LivePortal, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    auditor = Auditor(request.node.nodeid)
    register(page, live_portal, RETIRED)
    record = registry_for(live_portal.app).lookup(RETIRED)
    assert record is not None

    page.goto("/gosi/account")
    auditor.audit_both(page, "activation")
    submit(page)
    expect_path(page, r"/gosi/account/activate/code$")
    auditor.audit_both(page, "activation code")
    page.fill("[name=code]", latest_code(live_portal.app, record.mobile))
    submit(page)
    expect_path(page, r"/gosi/account$")
    expect(page.locator("h1")).to_have_text("تأميناتي الاجتماعية")
    auditor.audit_both(page, "my social insurance")

    page.goto("/gosi/record")
    auditor.audit_both(page, "employment record")
    page.goto("/gosi/pension")
    expect(page.locator(".explanation__total")).to_contain_text("13,212.50")
    auditor.audit_both(page, "pension estimate")

    letter = tmp_path / "bank-letter.pdf"
    letter.write_bytes(SMALL_PDF)
    page.goto("/apply/gosi/pension/")
    page.fill("[name=iban]", "SA04 8000 0000 6080 1016 7519")  # a mistyped digit
    page.set_input_files("[name=bank_letter]", str(letter))
    page.check("[name=declaration]")
    submit(page)
    expect(page.locator(".error-summary a[href='#iban']")).to_be_visible()
    auditor.audit_both(page, "pension application with a mistake")
    page.fill("[name=iban]", make_saudi_iban("80000000608010167519"))
    page.check("[name=declaration]")
    submit(page)
    expect_path(page, r"/apply/gosi/pension/check$")
    submit(page)
    expect_path(page, r"/apply/gosi/pension/done/GOP-")
    auditor.audit_both(page, "pension application sent")

    page.goto("/gosi/verify")
    auditor.audit_both(page, "certificate check")
    page.fill("[name=code]", "ABCD EFGH JKMN")
    page.fill("[name=id_number]", RETIRED)
    submit(page)
    expect(page.locator(".error-summary a[href='#code']")).to_be_visible()
    auditor.audit_both(page, "certificate check, nothing matches")

    auditor.assert_clean()
