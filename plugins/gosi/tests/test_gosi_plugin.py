"""GOSI's own tests, run against portals built by the SDK's test kit.

The plugin is loaded the way a third party's is (from its ``gateway.plugins``
entry point, into a portal from ``make_portal``); its page must serve in
Arabic and English, say what a contributor can do, invent no contact
numbers, and ship a complete, compiled catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest

from bawaba_sdk.testing.catalogue_files import CatalogueFiles, catalogue_file_problems
from bawaba_sdk.testing.catalogues import catalogue_problems
from bawaba_sdk.testing.pages import ProgramPage, fetch, service_titles, unlinked_service_problems

PLUGIN_DIR = Path(__file__).resolve().parents[1]
DOMAIN = "gosi"
URL = "/gosi/"

PROGRAM_NAME = {"en": "Social Insurance (GOSI)", "ar": "التأمينات الاجتماعية"}
SERVICES = {
    "pension": {"en": "Apply for a pension", "ar": "طلب صرف معاش"},
    "saned": {"en": "Apply for SANED unemployment insurance", "ar": "طلب التأمين ضد التعطل عن العمل (ساند)"},
    "health_treatment": {"en": "Health insurance and treatment", "ar": "التأمين الصحي والعلاج"},
    "employment_record": {"en": "Employment periods and wages", "ar": "مدد الاشتراك والأجور"},
    "personal_data": {"en": "Update personal data", "ar": "تحديث البيانات الشخصية"},
    "inquiries": {"en": "Contact and inquiries", "ar": "التواصل والاستفسارات"},
}
CONTRIBUTOR = {
    "en": ("What you can do as a contributor", "such as physiotherapy", "sign in with your civil number and password"),
    "ar": ("ما يمكنك فعله بصفتك مشتركًا", "مثل العلاج الطبيعي", "تسجّل الدخول برقمك المدني وكلمة المرور"),
}
PAGE = ProgramPage(URL, PROGRAM_NAME, SERVICES, texts=CONTRIBUTOR, contacts=())  # none given: invent none


@pytest.fixture
def client(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=DOMAIN).test_client()


# -- loading -------------------------------------------------------------------------------


def test_plugin_is_loaded_from_its_entry_point_and_serving(make_portal: Callable[..., Any]) -> None:
    app = make_portal(plugins=DOMAIN)
    record = app.extensions["gateway"].plugins.records["gosi"]

    assert record.status == "enabled", record.reason
    assert record.entry_point == "bawaba_gosi.plugin"
    assert record.program.slug == "gosi"
    assert "/gosi/" in record.routes
    assert record.settings["records_adapter"] == "sandbox"  # the fictional records unless configured


def test_only_enabled_when_configured(make_portal: Callable[..., Any]) -> None:
    app = make_portal(plugins="musaned")
    client = app.test_client()

    assert app.extensions["gateway"].plugins.records["gosi"].status == "disabled"
    assert client.get(URL).status_code == 404
    assert client.get("/musaned/").status_code == 200


# -- the page in both languages ------------------------------------------------------------


def test_page_is_arabic_and_right_to_left_by_default(client: Any) -> None:
    assert PAGE.problems(fetch(client, URL), "ar") == []


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_page_is_english_when_asked(client: Any, how: Literal["header", "cookie"]) -> None:
    assert PAGE.problems(fetch(client, URL, "en", via=how), "en") == []


def test_no_service_links_to_a_page_that_does_not_exist(client: Any) -> None:
    titles = service_titles(fetch(client, URL, "en"))
    linked = {slug: re.search(r'href="([^"]+)"', title) for slug, title in titles.items()}

    assert {slug for slug, link in linked.items() if link} == {
        "pension",
        "saned",
        "health_treatment",
        "employment_record",
    }
    for slug, link in linked.items():
        if link:  # the page exists (a visitor who is not signed in is sent to sign in first)
            assert client.get(link.group(1)).status_code in (200, 302, 303), slug
    unlinked = {slug for slug, link in linked.items() if not link}
    problems = [
        problem for problem in unlinked_service_problems(fetch(client, URL, "en")) if problem.split("'")[1] in unlinked
    ]
    assert problems == []


# -- translations --------------------------------------------------------------------------


def test_arabic_catalogue_is_complete_and_compiled() -> None:
    root, mapping_file, pot_file, po_file, mo_file = CatalogueFiles.of_plugin(PLUGIN_DIR, DOMAIN, package="bawaba_gosi")

    assert catalogue_problems(root, mapping_file, po_file, mo_file) == []
    assert catalogue_file_problems(root, mapping_file, pot_file, po_file, mo_file) == []
