"""Issue 4 §11: a citizen walks a multi-step form in a real browser, with a file and a resumed draft.

Everything goes through headless Chromium against a live portal with the real
CSRF protection: registration with the code from the outbox, two form steps
with a file upload, signing out mid-way, signing in again, resuming the draft,
a repeating crew group, the check page and the confirmation with its bill.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from gateway.applications.models import Application
from gateway.documents.models import Document
from tests.browser.conftest import unavailable
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, latest_code

if (reason := unavailable()) is not None:
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import LivePortal

SERVICE = "/apply/permits/fishing_licence/"
SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAIN_BUTTON = "main .actions button.button"
"""The primary button of the page's main form (never a header form nor "Add another entry")."""


def submit(page: Page) -> None:
    """Press the page's primary button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(MAIN_BUTTON)


def expect_arabic(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def enter_code(page: Page, live: LivePortal) -> None:
    page.fill("[name=code]", latest_code(live.app, AHMED_MOBILE))
    submit(page)


def register(page: Page, live: LivePortal) -> None:
    page.goto("/account/register")
    expect_arabic(page)
    page.check(f"input[name=id_type][value={AHMED['id_type']}]")
    for name in ("id_number", "first_name", "family_name", "birth_date"):
        page.fill(f"[name={name}]", AHMED[name])
    submit(page)
    expect(page).to_have_url(re.compile(r"/account/register/code$"))
    enter_code(page, live)
    expect(page).to_have_url(re.compile(r"/account/register/details$"))
    page.fill("[name=username]", "ahmed84")
    page.fill("[name=password]", GOOD_PASSWORD)
    page.fill("[name=password_confirmation]", GOOD_PASSWORD)
    page.fill("[name=email]", "ahmed@example.com")
    expect(page.locator("[name=mobile]")).to_have_value(AHMED_MOBILE)
    submit(page)
    expect(page.locator(".account-bar form button.link-button")).to_be_visible()


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.click(".account-bar form button.link-button")
    expect(page.locator(".account-bar form button.link-button")).to_have_count(0)


def sign_in(page: Page, live: LivePortal) -> None:
    page.goto("/account/sign-in")
    page.fill("[name=identifier]", AHMED["id_number"])
    page.fill("[name=password]", GOOD_PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/account/sign-in/code"))
    enter_code(page, live)
    expect(page.locator(".account-bar form button.link-button")).to_be_visible()


def test_a_citizen_fills_a_form_with_a_file_signs_out_resumes_and_submits(
    page: Page, live_portal: LivePortal, tmp_path: Path
) -> None:
    registration = tmp_path / "registration.pdf"
    registration.write_bytes(SMALL_PDF)
    register(page, live_portal)

    page.goto(SERVICE)
    expect(page).to_have_url(re.compile(r"/personal$"))
    expect_arabic(page)
    page.fill("[name=email]", "ahmed@example.com")
    submit(page)

    expect(page).to_have_url(re.compile(r"/boat$"))
    expect(page.locator("form#form-boat")).to_have_attribute("enctype", "multipart/form-data")
    page.fill("[name=boat_name]", "Al Bahr")
    page.fill("[name=length]", "12.5")
    page.select_option("[name=region]", "makkah")
    page.check("input[name=hull][value=wood]")
    page.fill("[name=registered_on]", "15/07/1440")
    page.check("input[name=has_crew]")
    page.set_input_files("input[type=file][name=registration]", str(registration))
    submit(page)
    expect(page).to_have_url(re.compile(r"/crew$"))

    # The person stops here and comes back in a new session: the draft waits for them.
    sign_out(page)
    sign_in(page, live_portal)
    page.goto(SERVICE)
    expect(page).to_have_url(re.compile(r"/crew$"))
    expect_arabic(page)

    # Once, in English, through the header's language button; the answers from before are still there.
    with page.expect_navigation():
        page.click("form.language-switch button[name=language][value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page).to_have_url(re.compile(r"/crew$"))
    expect(page.locator("h1")).to_have_text("Your crew")

    expect(page.locator("input[name=members-rows]")).to_have_value("1")
    page.fill("[name=members-0-national_id]", "1000000016")
    page.fill("[name=members-0-name]", "Saeed Al-Ghamdi")
    submit(page)

    expect(page).to_have_url(re.compile(r"/check$"))
    main = page.locator("main")
    for answer in ("ahmed@example.com", "Al Bahr", "Makkah", "Wood", "1000000016", "Saeed Al-Ghamdi"):
        expect(main).to_contain_text(answer)
    expect(page.locator("section[aria-labelledby=section-boat]")).to_contain_text("registration.pdf")
    submit(page)

    expect(page.locator(".confirmation h1")).to_have_text("Application sent")
    expect(page.locator(".confirmation .reference")).to_have_text(re.compile(r"^PRM-"))
    reference = page.locator(".confirmation .reference").inner_text()
    bill_link = page.locator("main a.button[href^='/payments/bills/']")
    expect(bill_link).to_have_count(1)
    with page.expect_navigation():
        bill_link.click()
    expect(page).to_have_url(re.compile(r"/payments/bills/[^/]+$"))
    assert_registration_is_attached(live_portal, reference)


def assert_registration_is_attached(live: LivePortal, reference: str) -> None:
    """The PDF the browser sent is the one stored, now attached to the submitted application."""
    with live.app.extensions["gateway"].database.session_factory() as db:
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        documents = list(db.scalars(select(Document)).all())
    assert [(d.application_id, d.content_type, d.size) for d in documents] == [
        (application.id, "application/pdf", len(SMALL_PDF))
    ]
