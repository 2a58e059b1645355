"""Musaned in a real browser: a recruitment from the first sign-up to the worker's arrival, and a complaint.

Headless Chromium drives a live portal (Musaned, the back office, the demo
offices, the real CSRF protection). Ahmed registers with the code from the
outbox, checks that he may request a visa, requests one with his salary
certificate and pays the fee; a Musaned reviewer signs in to the back office
(with the code sent to their mobile) and issues the visa; Ahmed sees it,
contracts with an office, the office's user accepts, Ahmed pays the advance and
the office records the worker's arrival. A second visa's contract is then
back-dated in the database beyond the complaint delay (nobody waits 60 days in
a test) and Ahmed files a complaint about it. Khalid, who owes traffic fines,
is told why he cannot request a visa.

Citizens start in Arabic (the default) and switch to English with the header's
button, so the rest of the journey is driven by the English labels and roles
people read; staff browse in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from sqlalchemy import select

from bawaba_sdk.validators import gregorian_to_hijri
from gateway.applications.models import Application
from gateway.backoffice.staff import create_staff
from gateway.registry.adapter import registry_for
from tests.browser.conftest import LivePortal, demo_portal, save_artifacts, unavailable
from tests.identity.conftest import GOOD_PASSWORD, latest_code

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

AHMED = "1000000008"
KHALID = "1000000016"
STAFF_PASSWORD = "tide tables of the gulf 2026"
OFFICE = "ML-1001"
"""Palm Frond Recruitment Office, one of the demo offices; it recruits from the Philippines."""
SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPLAINT = "The office accepted our contract months ago and has not brought the worker nor answered our calls."

OpenTab = Callable[[str], Page]


# -- the portal ----------------------------------------------------------------------------


@pytest.fixture
def live_portal(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[LivePortal]:
    """Musaned and the back office with the demo offices, served over HTTP (replaces the permits portal)."""
    with demo_portal(make_app, tmp_path, PLUGINS="musaned") as live:
        yield live


@pytest.fixture
def open_tab(browser: Browser, live_portal: LivePortal, request: pytest.FixtureRequest) -> Iterator[OpenTab]:
    """More people at other desks: each call opens an English-speaking browser context of its own.

    Like the harness's ``page``, each tab's last page is kept under ``test-artifacts/`` when the test fails.
    """
    opened: list[tuple[str, BrowserContext, Page]] = []

    def open_one(name: str) -> Page:
        context = browser.new_context(locale="en-GB", base_url=live_portal.base_url)
        context.set_default_timeout(10_000)
        tab = context.new_page()
        opened.append((name, context, tab))
        return tab

    yield open_one
    report = getattr(request.node, "report_call", None)
    for name, context, tab in opened:
        if report is not None and report.failed:
            save_artifacts(tab, f"{request.node.nodeid}-{name}")
        context.close()


@pytest.fixture
def salary_certificate(tmp_path: Path) -> Path:
    path = tmp_path / "salary-certificate.pdf"
    path.write_bytes(SMALL_PDF)
    return path


# -- what people do ------------------------------------------------------------------------


def press(page: Page, name: str) -> None:
    """Press the button called ``name`` in the page's main content and wait for the answer."""
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=name, exact=True).click()


def follow(page: Page, name: str) -> None:
    """Follow the link called ``name`` in the page's main content."""
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=name).first.click()


def shows(page: Page, words: str) -> None:
    """The page's main content says ``words``."""
    expect(page.locator("main")).to_contain_text(words)


def register(page: Page, live: LivePortal, id_number: str) -> None:
    """Sign up as the sandbox person ``id_number`` (Arabic pages), then switch the portal to English."""
    record = registry_for(live.app).lookup(id_number)
    assert record is not None
    hijri = gregorian_to_hijri(record.birth_date)
    page.goto("/account/register")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.check(f"input[name=id_type][value={record.id_type.value}]")
    page.fill("[name=id_number]", id_number)
    page.fill("[name=first_name]", record.first_name_en)
    page.fill("[name=family_name]", record.family_name_en)
    page.fill("[name=birth_date]", f"{hijri.day:02d}/{hijri.month:02d}/{hijri.year}")
    with page.expect_navigation():
        page.click("main .actions button.button")
    expect(page).to_have_url(re.compile(r"/account/register/code$"))
    page.fill("[name=code]", latest_code(live.app, record.mobile))
    with page.expect_navigation():
        page.click("main .actions button.button")
    expect(page).to_have_url(re.compile(r"/account/register/details$"))
    page.fill("[name=username]", f"user{id_number}")
    page.fill("[name=password]", GOOD_PASSWORD)
    page.fill("[name=password_confirmation]", GOOD_PASSWORD)
    page.fill("[name=email]", f"{id_number}@example.com")
    with page.expect_navigation():
        page.click("main .actions button.button")
    expect(page.locator(".account-bar form button.link-button")).to_be_visible()
    with page.expect_navigation():
        page.click("form.language-switch button[name=language][value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def staff_signs_in(tab: Page, live: LivePortal, username: str, mobile: str, scope: str | None = None) -> None:
    """A staff account made by an administrator (here, directly in the database), signed in through the pages."""
    with live.app.test_request_context(), live.app.extensions["gateway"].database.session_factory() as db:
        create_staff(
            db,
            username=username,
            full_name=f"{username.title()} Staff",
            mobile=mobile,
            password=STAFF_PASSWORD,
            roles={"musaned": "reviewer"},
            scopes={"musaned": scope} if scope else None,
        )
        db.commit()
    tab.goto("/backoffice/sign-in")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(STAFF_PASSWORD)
    press(tab, "Sign in")
    tab.get_by_label("Verification code").fill(latest_code(live.app, mobile))
    with tab.expect_navigation():
        tab.locator("main .actions button.button").click()
    expect(tab.get_by_role("button", name="Sign out of the back office")).to_be_visible()


def staff_acts(tab: Page, reference: str, action: str, comment: str = "") -> None:
    """Find ``reference`` in the Musaned queue, open it and take ``action`` (a radio of the Actions form)."""
    tab.goto("/backoffice/musaned/queue")
    follow(tab, reference)
    expect(tab.locator("h1")).to_contain_text(reference)
    tab.get_by_label(action, exact=True).check()
    if comment:
        tab.get_by_label("Comment").fill(comment)
    press(tab, "Save")
    expect(tab.locator("h1")).to_contain_text(reference)


def send_and_pay(page: Page, prefix: str) -> str:
    """Send the form from its check page, pay the bill with the sandbox button; the new reference."""
    expect(page).to_have_url(re.compile(r"/check$"))
    press(page, "Send application")
    expect(page.locator(".confirmation h1")).to_have_text("Application sent")
    reference = page.locator(".confirmation .reference").inner_text().strip()
    assert reference.startswith(prefix), reference
    follow(page, "See the bill and how to pay")
    expect(page.locator("#bill-status")).to_have_attribute("data-status", "unpaid")
    press(page, "Pay now (sandbox)")
    expect(page.locator("#bill-status")).to_have_attribute("data-status", "paid")
    return reference


def request_visa(page: Page, certificate: Path) -> str:
    """The three steps of a new visa request, with the salary certificate; sent and its fee paid."""
    page.goto("/apply/musaned/new_visa/")
    expect(page).to_have_url(re.compile(r"/worker$"))
    page.get_by_label("Type of worker").select_option("housemaid")
    page.get_by_label("The worker's nationality").select_option("PH")
    page.get_by_label("Monthly salary you offer the worker (SAR)").fill("1500")
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile(r"/household$"))
    page.get_by_label("Number of people in your household").fill("5")
    page.get_by_label("Villa", exact=True).check()
    page.get_by_label("Region", exact=True).select_option("riyadh")
    page.get_by_label("City", exact=True).fill("Riyadh")
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile(r"/capacity$"))
    page.get_by_label("Salary certificate", exact=True).check()
    page.get_by_label("Your monthly income (SAR)").fill("18000")
    page.get_by_label("Salary certificate or bank statement").set_input_files(str(certificate))
    press(page, "Save and continue")
    shows(page, "Housemaid")
    shows(page, "Philippines")
    return send_and_pay(page, "MSV-")


def contract_with_office(page: Page, visa_number: str) -> tuple[str, str]:
    """A contract for ``visa_number`` with the demo office; its reference and the advance's bill page."""
    page.goto("/apply/musaned/mediation_contract/")
    expect(page).to_have_url(re.compile(r"/visa$"))
    page.get_by_label("Issued visa").select_option(visa_number)
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile(r"/office$"))
    page.get_by_label("Recruitment office").select_option(OFFICE)
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile(r"/check$"))
    press(page, "Send application")
    reference = page.locator(".confirmation .reference").inner_text().strip()
    assert reference.startswith("MSC-"), reference
    bill = page.locator("main").get_by_role("link", name="See the bill and how to pay")
    bill_path = str(bill.get_attribute("href"))
    return reference, bill_path


def application(live: LivePortal, reference: str) -> Application:
    with live.app.extensions["gateway"].database.session_factory() as db:
        found = db.scalars(select(Application).where(Application.reference == reference)).one()
        db.expunge(found)
        return found


def back_date(live: LivePortal, reference: str, days: int) -> None:
    """Make the contract look accepted (and requested) ``days`` days ago, as time passing would."""
    then = datetime.now(UTC) - timedelta(days=days)
    with live.app.extensions["gateway"].database.session_factory() as db:
        found = db.scalars(select(Application).where(Application.reference == reference)).one()
        found.extra = {**(found.extra or {}), "accepted_on": (then + timedelta(hours=3)).date().isoformat()}
        found.submitted_at = then
        db.commit()


# -- the journeys --------------------------------------------------------------------------


def test_ahmed_recruits_a_worker_from_the_visa_to_the_arrival_then_complains_about_a_late_one(
    page: Page, live_portal: LivePortal, open_tab: OpenTab, salary_certificate: Path
) -> None:
    register(page, live_portal, AHMED)

    page.goto("/musaned/eligibility")
    shows(page, "You meet every condition. You can request a visa now.")
    expect(page.locator(".checklist__item--failed")).to_have_count(0)
    follow(page, "Start a new visa request")
    expect(page).to_have_url(re.compile(r"/apply/musaned/new_visa/worker$"))
    visa_request = request_visa(page, salary_certificate)
    assert application(live_portal, visa_request).state == "fee_paid"

    reviewer = open_tab("reviewer")
    staff_signs_in(reviewer, live_portal, "reviewer", "+966551230001")
    staff_acts(reviewer, visa_request, "Start the review")
    expect(reviewer.locator(".status")).to_have_text("In review")
    staff_acts(reviewer, visa_request, "Issue the visa")
    expect(reviewer.locator(".status")).to_have_text("Visa issued")
    visa_number = str(application(live_portal, visa_request).extra["visa_number"])

    page.goto("/musaned/visas")
    shows(page, visa_number)
    shows(page, "Housemaid")

    contract, advance_bill = contract_with_office(page, visa_number)
    office = open_tab("office")
    staff_signs_in(office, live_portal, "palmfrond", "+966551230002", scope=OFFICE)
    staff_acts(office, contract, "Accept the contract")
    expect(office.locator(".status")).to_have_text("Accepted by the office")

    page.goto(advance_bill)
    expect(page.locator("#bill-status")).to_have_attribute("data-status", "unpaid")
    press(page, "Pay now (sandbox)")
    expect(page.locator("#bill-status")).to_have_attribute("data-status", "paid")
    page.goto(f"/applications/{contract}")
    expect(page.locator("main .status")).to_have_text("In progress: the office is bringing the worker")

    staff_acts(office, contract, "Record the worker's arrival")
    expect(office.locator(".status")).to_have_text("Worker arrived")
    page.goto(f"/applications/{contract}")
    expect(page.locator("main .status")).to_have_text("Worker arrived")

    # A second recruitment, whose worker is late.
    second_request = request_visa(page, salary_certificate)
    staff_acts(reviewer, second_request, "Start the review")
    staff_acts(reviewer, second_request, "Issue the visa")
    second_visa = str(application(live_portal, second_request).extra["visa_number"])
    late_contract, _bill = contract_with_office(page, second_visa)
    staff_acts(office, late_contract, "Accept the contract")
    back_date(live_portal, late_contract, 75)

    page.goto("/apply/musaned/worker_not_arrived/")
    expect(page).to_have_url(re.compile(r"/complaint$"))
    page.get_by_label("The contract concerned").select_option(late_contract)
    page.get_by_label("What happened").fill(COMPLAINT)
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile(r"/check$"))
    shows(page, late_contract)
    press(page, "Send application")
    complaint = page.locator(".confirmation .reference").inner_text().strip()
    assert complaint.startswith("MSK-"), complaint
    filed = application(live_portal, complaint)
    assert (filed.state, filed.extra["contract_reference"]) == ("submitted", late_contract)

    # The office never sees the complaint; Musaned's reviewer does.
    hidden = office.goto(f"/backoffice/musaned/applications/{complaint}")
    assert hidden is not None and hidden.status == 404
    reviewer.goto("/backoffice/musaned/queue")
    expect(reviewer.locator("main")).to_contain_text(complaint)


def test_khalid_with_unpaid_violations_is_told_why_he_cannot_request_a_visa(
    page: Page, live_portal: LivePortal
) -> None:
    register(page, live_portal, KHALID)

    page.goto("/musaned/eligibility")
    shows(page, "You do not meet every condition yet.")
    refused = page.locator(".checklist__item--failed")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("You have no unpaid traffic violations")
    expect(refused).to_contain_text("1,250.00 SAR")
    expect(page.locator("main").get_by_role("link", name="Start a new visa request")).to_have_count(0)

    response = page.goto("/apply/musaned/new_visa/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot apply yet")
    expect(page.locator(".checklist__item--failed")).to_contain_text("1,250.00 SAR")
