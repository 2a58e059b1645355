"""The developed social security programme's own tests, run against portals built by the SDK's test kit.

The plugin is loaded the way a third party's is (from its ``gateway.plugins``
entry point, into a portal from ``make_portal``); its page must serve in
Arabic and English, list the unified profile's eight sections, invent no
contact numbers, and ship a complete, compiled catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest

from bawaba_sdk.testing.catalogue_files import CatalogueFiles, catalogue_file_problems
from bawaba_sdk.testing.catalogues import catalogue_problems
from bawaba_sdk.testing.pages import ProgramPage, fetch, service_item, service_links

PLUGIN_DIR = Path(__file__).resolve().parents[1]
DOMAIN = "social_security"
URL = "/social_security/"

PROGRAM_NAME = {"en": "Developed Social Security", "ar": "الضمان الاجتماعي المطور"}
SERVICES = {
    "registration": {"en": "Registration in the programme", "ar": "التسجيل في البرنامج"},
    "unified_profile": {"en": "Unified profile", "ar": "الملف الموحد"},
    "eligibility": {"en": "Eligibility and entitlement", "ar": "الأهلية والاستحقاق"},
    "apply": {"en": "Apply for support", "ar": "قدّم طلب الدعم"},
    "objection": {"en": "Object to a decision", "ar": "الاعتراض على قرار"},
    "estimate": {"en": "Estimate without an account", "ar": "تقدير الدعم دون حساب"},
}
"""Only services with a page are listed (issue 12: no service leads nowhere)."""
PROFILE_SECTIONS = {
    "en": ["Personal details", "Housing", "Income", "Education", "Employment", "Licences", "Property", "Dependents"],
    "ar": [
        "البيانات الشخصية",
        "بيانات السكن",
        "بيانات الدخل",
        "بيانات التعليم",
        "بيانات العمل",
        "بيانات التراخيص",
        "بيانات الممتلكات",
        "بيانات التابعين",
    ],
}
CONDITIONS = {
    "en": ("whatever their marital status or gender", "Priority goes to the neediest and most entitled."),
    "ar": ("بغض النظر عن الحالة الاجتماعية أو الجنس", "تُمنح الأولوية للأكثر احتياجًا واستحقاقًا."),
}
PAGE = ProgramPage(URL, PROGRAM_NAME, SERVICES, texts=CONDITIONS, contacts=())  # none given: invent none


@pytest.fixture
def client(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=DOMAIN).test_client()


# -- loading -------------------------------------------------------------------------------


def test_plugin_is_loaded_from_its_entry_point_and_serving(make_portal: Callable[..., Any]) -> None:
    app = make_portal(plugins=DOMAIN)
    record = app.extensions["gateway"].plugins.records["social_security"]

    assert record.status == "enabled", record.reason
    assert record.entry_point == "bawaba_social_security.plugin"
    assert record.program.slug == "social_security"
    assert "/social_security/" in record.routes
    assert record.settings == {
        "max_members": 20,
        "objection_days": 30,
        "cycle_schedule": "0 3 * * *",
        "weekend_days": frozenset({4, 5}),
        "non_working_days": frozenset(),
    }


# -- the page in both languages ------------------------------------------------------------


def test_page_is_arabic_and_right_to_left_by_default(client: Any) -> None:
    html = fetch(client, URL)

    assert PAGE.problems(html, "ar") == []
    assert "حدًّا أدنى محتسبًا" in html


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_page_is_english_when_asked(client: Any, how: Literal["header", "cookie"]) -> None:
    html = fetch(client, URL, "en", via=how)

    assert PAGE.problems(html, "en") == []
    assert "calculated minimum" in html


@pytest.mark.parametrize("language", ["ar", "en"])
def test_unified_profile_lists_its_eight_sections_in_order(client: Any, language: str) -> None:
    html = fetch(client, URL, language)
    sections = html[html.index('<ol class="profile-sections">') :]
    sections = sections[: sections.index("</ol>")]

    assert re.findall(r"<li>(.*?)</li>", sections) == PROFILE_SECTIONS[language]


def test_every_service_leads_to_a_page_that_serves(client: Any) -> None:
    links = service_links(fetch(client, URL, "en"))

    assert links == {
        "registration": "/account/register",
        "unified_profile": "/social_security/profile",
        "eligibility": "/social_security/eligibility",
        "apply": "/apply/social_security/apply/",
        "objection": "/apply/social_security/objection/",
        "estimate": "/social_security/estimate",
    }
    assert [client.get(links[slug]).status_code for slug in ("registration", "estimate")] == [200, 200]
    # the household's own pages ask an anonymous visitor to sign in, then come back
    for slug in ("unified_profile", "eligibility", "apply", "objection"):
        response = client.get(links[slug])
        assert response.status_code in (302, 303) and "next=" in response.headers["Location"]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_registration_is_the_portals_own_account(client: Any, language: str) -> None:
    item = service_item(fetch(client, URL, language), "registration")

    assert {"ar": "لا يوجد حساب ثانٍ", "en": "there is no second account"}[language] in item


# -- translations --------------------------------------------------------------------------


def test_arabic_catalogue_is_complete_and_compiled() -> None:
    root, mapping_file, pot_file, po_file, mo_file = CatalogueFiles.of_plugin(
        PLUGIN_DIR, DOMAIN, package="bawaba_social_security"
    )

    assert catalogue_problems(root, mapping_file, po_file, mo_file) == []
    assert catalogue_file_problems(root, mapping_file, pot_file, po_file, mo_file) == []
