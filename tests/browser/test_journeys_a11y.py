"""Issue 6 §1-2: the portal's journeys in a real browser, each page audited for accessibility in both languages.

Headless Chromium drives a live portal with the three first-party programs, the
back office, the demo offices and the real CSRF protection. A citizen registers
with the code from the outbox, signs out and in again, switches the language,
uses each program as far as it goes (Musaned's eligibility check and visa
request up to the check-your-answers page, the confirmation and the bill; the
social security and GOSI program pages), and a Musaned reviewer processes the
request in the back office (queue, application, transitions) until the citizen
sees the issued visa. Khalid, who may not request a visa, is told why.

Every page on the way is audited in Arabic (the default) and, through the
header's language button, in English (see ``tests/browser/accessibility.py``):
axe-core with no serious or critical violation, ``<html lang dir>``, values
aligned with their labels on Arabic pages, no sideways scrolling at 320 px nor
at 200% zoom, and figures laid out left to right and kept whole. The pages
showing dates and amounts are read in both languages and their figures
compared with the records behind them; the back office's history arrows point
from the old state to the new one in both directions of writing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from flask_babel import gettext
from sqlalchemy import select

from bawaba_sdk.validators import format_sar, gregorian_to_hijri
from gateway.applications.models import Application
from gateway.backoffice.staff import create_staff
from gateway.payments.models import PAID, Bill
from gateway.payments.views import STATUS_LABELS
from gateway.registry.adapter import registry_for
from tests.browser.conftest import LivePortal, demo_portal, save_artifacts, unavailable
from tests.identity.conftest import GOOD_PASSWORD, latest_code

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page, expect

from tests.browser.accessibility import Auditor, figures, switch_language

if TYPE_CHECKING:
    from playwright.sync_api import Browser

AHMED = "1000000008"
KHALID = "1000000016"
REVIEWER = ("reviewer", "+966551230001")
STAFF_PASSWORD = "tide tables of the gulf 2026"
SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAIN_BUTTON = "main .actions button.button"
"""The primary button of the page's main form (never the header's language or sign-out button)."""


# -- the portal ----------------------------------------------------------------------------


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    """The three first-party programs, the back office and the demo data, over HTTP (replaces the permits portal)."""
    with demo_portal(make_app, tmp_path) as live:
        yield live


@pytest.fixture
def auditor(request: pytest.FixtureRequest) -> Auditor:
    return Auditor(request.node.nodeid)


@pytest.fixture
def staff_tab(browser: Browser, live_portal: LivePortal, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A reviewer's own browser, Arabic-speaking like the citizen's; kept under test-artifacts/ on failure."""
    context = browser.new_context(locale="ar-SA", base_url=live_portal.base_url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_artifacts(tab, f"{request.node.nodeid}-staff")
    context.close()


# -- what people do ------------------------------------------------------------------------


def submit(page: Page) -> None:
    """Press the page's primary button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(MAIN_BUTTON)


def expect_path(page: Page, pattern: str) -> None:
    expect(page).to_have_url(re.compile(pattern))


def register(page: Page, live: LivePortal, id_number: str, audit: Auditor | None = None) -> None:
    """Sign up as the sandbox person ``id_number`` with the code from the outbox, auditing each page if asked."""
    record = registry_for(live.app).lookup(id_number)
    assert record is not None
    hijri = gregorian_to_hijri(record.birth_date)
    page.goto("/account/register")
    if audit:
        audit.audit_both(page, "register")
    page.check(f"input[name=id_type][value={record.id_type.value}]")
    page.fill("[name=id_number]", id_number)
    page.fill("[name=first_name]", record.first_name_en)
    page.fill("[name=family_name]", record.family_name_en)
    page.fill("[name=birth_date]", f"{hijri.day:02d}/{hijri.month:02d}/{hijri.year}")
    submit(page)
    expect_path(page, r"/account/register/code$")
    if audit:
        audit.audit_both(page, "register-code")
    page.fill("[name=code]", latest_code(live.app, record.mobile))
    submit(page)
    expect_path(page, r"/account/register/details$")
    if audit:
        audit.audit_both(page, "register-details")
    page.fill("[name=username]", f"user{id_number}")
    page.fill("[name=password]", GOOD_PASSWORD)
    page.fill("[name=password_confirmation]", GOOD_PASSWORD)
    page.fill("[name=email]", f"{id_number}@example.com")
    submit(page)
    expect(page.locator(".account-bar form button.link-button")).to_be_visible()


def sign_out_and_in(page: Page, live: LivePortal, id_number: str, audit: Auditor) -> None:
    """Sign out with the header's button, then sign in with the ID number, the password and a new code."""
    record = registry_for(live.app).lookup(id_number)
    assert record is not None
    with page.expect_navigation():
        page.click(".account-bar form button.link-button")
    expect(page.locator(".account-bar form button.link-button")).to_have_count(0)
    page.goto("/account/sign-in")
    audit.audit_both(page, "sign-in")
    page.fill("[name=identifier]", id_number)
    page.fill("[name=password]", GOOD_PASSWORD)
    submit(page)
    expect_path(page, r"/account/sign-in/code$")
    audit.audit_both(page, "sign-in-code")
    page.fill("[name=code]", latest_code(live.app, record.mobile))
    submit(page)
    expect(page.locator(".account-bar form button.link-button")).to_be_visible()


def staff_signs_in(tab: Page, live: LivePortal, audit: Auditor) -> None:
    """A Musaned reviewer (made by an administrator, here in the database) signs in through the pages."""
    username, mobile = REVIEWER
    with live.app.test_request_context(), live.app.extensions["gateway"].database.session_factory() as db:
        create_staff(
            db,
            username=username,
            full_name="Reem Al-Harbi",
            mobile=mobile,
            password=STAFF_PASSWORD,
            roles={"musaned": "reviewer"},
        )
        db.commit()
    tab.goto("/backoffice/sign-in")
    audit.audit_both(tab, "backoffice-sign-in")
    tab.fill("[name=username]", username)
    tab.fill("[name=password]", STAFF_PASSWORD)
    submit(tab)
    audit.audit_both(tab, "backoffice-sign-in-code")
    tab.fill("[name=code]", latest_code(live.app, mobile))
    submit(tab)
    expect(tab.locator(".backoffice-bar form button.link-button")).to_be_visible()


def take_action(tab: Page, target: str, audit: Auditor, label: str) -> None:
    """Choose the transition to ``target`` on the open application and save; audit the page it answers with."""
    tab.check(f"input[name=target][value={target}]")
    with tab.expect_navigation():
        tab.locator("form", has=tab.locator("input[name=target]")).locator("button.button").click()
    expect(tab.locator(".notice--warning")).to_have_count(0)
    audit.audit_both(tab, label)


def application(live: LivePortal, reference: str) -> Application:
    with live.app.extensions["gateway"].database.session_factory() as db:
        found = db.scalars(select(Application).where(Application.reference == reference)).one()
        db.expunge(found)
        return found


def bill_amount(live: LivePortal, bill_number: str) -> Decimal:
    with live.app.extensions["gateway"].database.session_factory() as db:
        return db.scalars(select(Bill.amount).where(Bill.bill_number == bill_number)).one()


# -- reading figures in both languages --------------------------------------------------------


def in_both_languages(page: Page, read: Callable[[], str]) -> dict[str, str]:
    """What ``read`` returns on the page in Arabic and in English (the page is left in Arabic)."""
    shown = {"ar": read()}
    switch_language(page, "en")
    shown["en"] = read()
    switch_language(page, "ar")
    return shown


def era(live: LivePortal, language: str) -> str:
    """How the formatting layer writes "AH" (anno Hegirae) after a Hijri date in ``language``."""
    return {"ar": "هـ", "en": "AH"}[language]


def expect_birth_date_in_both_calendars(page: Page, live: LivePortal, id_number: str) -> None:
    """The profile shows the birth date in Hijri then Gregorian (day and year of each, with the era)."""
    record = registry_for(live.app).lookup(id_number)
    assert record is not None
    hijri = gregorian_to_hijri(record.birth_date)

    def read() -> str:
        language = page.locator("html").get_attribute("lang") or "ar"
        with live.app.test_request_context(headers={"Accept-Language": language}):
            label = gettext("Date of birth")
        row = page.locator(
            f'xpath=//dl[contains(@class, "summary-list")]/dt[normalize-space()="{label}"]/following-sibling::dd[1]'
        )
        return row.inner_text()

    shown = in_both_languages(page, read)
    for language, text in shown.items():
        found = figures(text)
        hijri_part = [str(hijri.day), str(hijri.year)]
        gregorian_part = [str(record.birth_date.day), str(record.birth_date.year)]
        assert [f.lstrip("0") for f in found] == hijri_part + gregorian_part, (language, text)
        assert era(live, language) in text, (language, text)


def expect_amount_in_both_languages(page: Page, live: LivePortal) -> Decimal:
    """The bill's amount reads as the amount billed, in Arabic (riyal sign) and in English (SAR)."""
    bill_number = page.locator("#bill-number").inner_text().strip()
    amount = bill_amount(live, bill_number)
    shown = in_both_languages(page, page.locator("#bill-amount").inner_text)
    for language, text in shown.items():
        assert text.strip() == format_sar(amount, language).strip(), (language, text, amount)
        assert figures(text) == figures(f"{amount:,.2f}"), (language, text, amount)
    return amount


def expect_fee_in_the_back_office(tab: Page, live: LivePortal, fee: Decimal) -> None:
    """The application's fee line: amount and bill status in the page's language, as the citizen reads them."""
    line = tab.locator("section[aria-labelledby=bills-title] li")
    expect(line).to_have_count(1)
    shown = in_both_languages(tab, line.inner_text)
    for language, text in shown.items():
        with live.app.test_request_context(headers={"Accept-Language": language}):
            amount, paid = format_sar(fee, language), str(STATUS_LABELS[PAID])
        assert amount in text and paid in text, (language, text, amount, paid)


def expect_visa_dates_in_both_calendars(page: Page, live: LivePortal, visa_number: str) -> None:
    """The issued visa's dates: each Gregorian date beside its Umm al-Qura date, the same in both languages."""
    row = page.locator("tbody tr", has=page.get_by_text(visa_number, exact=True))
    expect(row).to_have_count(1)
    for column in (3, 4):  # the cells after the number, the worker and the nationality: issued on, expires on
        cell = row.locator(f"td:nth-of-type({column})")
        gregorian = cell.locator("time").get_attribute("datetime")
        assert gregorian is not None
        hijri = gregorian_to_hijri(date.fromisoformat(gregorian))
        shown = in_both_languages(page, cell.inner_text)
        for language, text in shown.items():
            shown_on = date.fromisoformat(gregorian)
            expected = [str(shown_on.day), str(shown_on.year), str(hijri.day), str(hijri.year)]
            assert [f.lstrip("0") for f in figures(text)] == expected, (language, text)
            assert era(live, language) in text, (language, text)


HISTORY_ARROWS = """
() => [...document.querySelectorAll(".timeline__what strong")].flatMap((entry) => {
  const text = entry.firstChild;
  const arrow = text.data.search(/[\u2190\u2192]/);
  const box = (index) => {
    const range = document.createRange();
    range.setStart(text, index);
    range.setEnd(text, index + 1);
    return range.getBoundingClientRect();
  };
  const [from, through] = [box(0), box(arrow)];
  const pointsLeft = text.data[arrow] === "\u2190";
  return pointsLeft === from.left > through.left ? [] : [entry.textContent];
})
"""
"""History entries ("state → state") whose arrow, as drawn, points back at the state they left."""


def expect_history_arrows_point_forward(tab: Page) -> None:
    """Each back-office history entry reads "from → to" with the arrow drawn towards the new state, in both languages.

    An arrow character is not mirrored in right-to-left text, so the Arabic page needs "←".
    """
    expect(tab.locator(".timeline__what strong").first).to_be_visible()
    backwards = in_both_languages(tab, lambda: " | ".join(tab.evaluate(HISTORY_ARROWS)))
    assert backwards == {"ar": "", "en": ""}, backwards


# -- the journeys --------------------------------------------------------------------------


def test_a_citizen_and_a_reviewer_go_through_every_program_in_both_languages(
    page: Page, staff_tab: Page, live_portal: LivePortal, auditor: Auditor, tmp_path: Path
) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    auditor.audit_both(page, "home")

    # The language switch: English sticks from page to page until switched back.
    switch_language(page, "en")
    page.goto("/musaned/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_contain_text("Musaned")
    switch_language(page, "ar")
    expect(page).to_have_url(re.compile(r"/musaned/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    register(page, live_portal, AHMED, auditor)
    auditor.audit_both(page, "profile")
    expect_birth_date_in_both_calendars(page, live_portal, AHMED)
    sign_out_and_in(page, live_portal, AHMED, auditor)

    for program in ("musaned", "social_security", "gosi"):
        page.goto(f"/{program}/")
        auditor.audit_both(page, f"program-{program}")

    page.goto("/musaned/eligibility")
    expect(page.locator(".checklist__item--failed")).to_have_count(0)
    auditor.audit_both(page, "musaned-eligibility")

    page.goto("/apply/musaned/new_visa/")
    expect_path(page, r"/worker$")
    for then in ("en", "ar"):  # nothing chosen: the step answers with its errors (Arabic, then English)
        submit(page)
        expect(page.locator(".error-summary")).to_be_visible()
        auditor.audit(page, "visa-worker-errors")
        switch_language(page, then)
    page.select_option("[name=worker_type]", "housemaid")
    page.select_option("[name=nationality]", "PH")
    page.fill("[name=salary]", "1500")
    submit(page)
    expect_path(page, r"/household$")
    auditor.audit_both(page, "visa-household")
    page.fill("[name=household_size]", "5")
    page.check("input[name=dwelling_type][value=villa]")
    page.select_option("[name=region]", "riyadh")
    page.fill("[name=city]", "الرياض")
    submit(page)
    expect_path(page, r"/capacity$")
    auditor.audit_both(page, "visa-capacity")
    page.check("input[name=proof_kind][value=salary_certificate]")
    page.fill("[name=monthly_income]", "18000")
    certificate = tmp_path / "salary-certificate.pdf"
    certificate.write_bytes(SMALL_PDF)
    page.set_input_files("input[type=file]", str(certificate))
    submit(page)
    expect_path(page, r"/check$")
    auditor.audit_both(page, "visa-check-your-answers")
    submit(page)
    expect(page.locator(".confirmation .reference")).to_be_visible()
    reference = page.locator(".confirmation .reference").inner_text().strip()
    auditor.audit_both(page, "visa-sent")

    with page.expect_navigation():
        page.click("main a[href*='/payments/bills/']")
    auditor.audit_both(page, "bill-unpaid")
    fee = expect_amount_in_both_languages(page, live_portal)
    assert fee > 0
    with page.expect_navigation():
        page.click("#sandbox-pay")
    expect(page.locator("#bill-status")).to_have_attribute("data-status", "paid")
    auditor.audit_both(page, "bill-paid")

    page.goto("/applications/")
    auditor.audit_both(page, "my-applications")
    page.goto(f"/applications/{reference}")
    auditor.audit_both(page, "my-application")

    staff_signs_in(staff_tab, live_portal, auditor)
    auditor.audit_both(staff_tab, "backoffice-home")
    staff_tab.goto("/backoffice/musaned/queue")
    auditor.audit_both(staff_tab, "backoffice-queue")
    with staff_tab.expect_navigation():
        staff_tab.locator("main").get_by_role("link", name=reference).click()
    auditor.audit_both(staff_tab, "backoffice-application")
    take_action(staff_tab, "in_review", auditor, "backoffice-in-review")
    take_action(staff_tab, "issued", auditor, "backoffice-visa-issued")
    expect_history_arrows_point_forward(staff_tab)
    expect_fee_in_the_back_office(staff_tab, live_portal, fee)
    visa = application(live_portal, reference)
    assert visa.state == "issued", visa.state
    visa_number = str(visa.extra["visa_number"])

    page.goto("/musaned/visas")
    auditor.audit_both(page, "musaned-visas")
    expect_visa_dates_in_both_calendars(page, live_portal, visa_number)

    assert auditor.values_checked > 0, "no date, time or amount was found to check"
    auditor.assert_clean()


def test_khalid_is_told_in_both_languages_why_he_cannot_request_a_visa(
    page: Page, live_portal: LivePortal, auditor: Auditor
) -> None:
    register(page, live_portal, KHALID)

    page.goto("/musaned/eligibility")
    refused = page.locator(".checklist__item--failed")
    expect(refused).to_have_count(1)
    auditor.audit_both(page, "musaned-eligibility-refused")
    record = registry_for(live_portal.app).lookup(KHALID)
    assert record is not None and record.unpaid_violations > 0
    shown = in_both_languages(page, refused.inner_text)
    for language, text in shown.items():
        assert format_sar(record.unpaid_violations, language) in text, (language, text)

    response = page.goto("/apply/musaned/new_visa/")
    assert response is not None and response.status == 403
    auditor.audit_both(page, "visa-not-eligible")

    auditor.assert_clean()
