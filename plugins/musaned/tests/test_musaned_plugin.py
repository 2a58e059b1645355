"""Musaned's own tests, run against portals built by the SDK's test kit.

The plugin is loaded the way a third party's is (from its ``gateway.plugins``
entry point, into a portal from ``make_portal``); its page must serve in
Arabic and English, show its settings, refuse bad settings at start-up, and
ship a complete, compiled catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest

from bawaba_sdk.testing.catalogue_files import CatalogueFiles, catalogue_file_problems
from bawaba_sdk.testing.catalogues import catalogue_problems
from bawaba_sdk.testing.pages import ProgramPage, fetch, service_item, service_links

PLUGIN_DIR = Path(__file__).resolve().parents[1]
DOMAIN = "musaned"
URL = "/musaned/"

PROGRAM_NAME = {"en": "Musaned", "ar": "مساند"}
SERVICES = {
    "new_visa": {"en": "New visa request", "ar": "طلب تأشيرة جديدة"},
    "issued_visas": {"en": "Issued visas", "ar": "التأشيرات الصادرة"},
    "follow_request": {"en": "Follow a request", "ar": "متابعة طلب"},
    "visa_inquiry": {"en": "Visa inquiry", "ar": "الاستعلام عن تأشيرة"},
    "recruitment_offices": {"en": "Recruitment offices directory", "ar": "دليل مكاتب الاستقدام"},
    "mediation_contract": {"en": "Contract with a recruitment office", "ar": "التعاقد مع مكتب استقدام"},
    "contract_requests": {"en": "Follow contract requests", "ar": "متابعة طلبات التعاقد"},
    "worker_not_arrived": {"en": "Complaint about a worker who has not arrived", "ar": "شكوى عدم وصول العامل"},
    "support_tickets": {"en": "Support tickets", "ar": "تذاكر الدعم"},
}
CONDITIONS = {
    "en": ("You have an active account on Absher", "You have no unpaid traffic violations."),
    "ar": ("حساب سارٍ على منصة أبشر", "ألا تكون عليك مخالفات مرورية غير مسددة."),
}
PAGE = ProgramPage(URL, PROGRAM_NAME, SERVICES, texts=CONDITIONS, contacts=("tel:920002866", "tel:19911"))


@pytest.fixture
def client(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=DOMAIN).test_client()


# -- loading -------------------------------------------------------------------------------


def test_plugin_is_loaded_from_its_entry_point_and_serving(make_portal: Callable[..., Any]) -> None:
    app = make_portal(plugins=DOMAIN)
    record = app.extensions["gateway"].plugins.records["musaned"]

    assert record.status == "enabled", record.reason
    assert record.entry_point == "bawaba_musaned.plugin"
    assert record.program.slug == "musaned"
    assert "/musaned/" in record.routes
    assert record.settings == {
        "visa_fee": Decimal("2000"),
        "allowed_id_types": ("citizen", "resident"),
        "min_monthly_income_citizen": Decimal("5000"),
        "min_monthly_income_resident": Decimal("10000"),
        "worker_types": (
            *("housemaid", "private_driver", "caregiver", "cook"),
            *("nurse", "home_guard", "gardener", "nanny"),
        ),
        "worker_nationalities": ("PH", "LK", "IN", "BD", "NP", "KE", "UG", "ET", "PK"),
        "min_worker_salary": Decimal("1000"),
        "visa_validity_days": 730,
        "max_open_visa_requests": 3,
        "contract_advance_percent": 25,
        "complaint_after_days": 60,
    }


def test_program_is_listed_on_the_home_page(client: Any) -> None:
    assert f'<a href="{URL}">{PROGRAM_NAME["ar"]}</a>' in fetch(client, "/")


# -- the page in both languages ------------------------------------------------------------


def test_page_is_arabic_and_right_to_left_by_default(client: Any) -> None:
    html = fetch(client, URL)

    assert PAGE.problems(html, "ar") == []
    assert "الرقم الموحد" in html


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_page_is_english_when_asked(client: Any, how: Literal["header", "cookie"]) -> None:
    html = fetch(client, URL, "en", via=how)

    assert PAGE.problems(html, "en") == []
    assert "Unified number" in html


def test_every_service_links_to_a_page_that_answers(client: Any) -> None:
    links = service_links(fetch(client, URL, "en"))

    assert set(links) == set(SERVICES)  # every service is online: a form or a page of the program
    for slug, url in links.items():
        status = client.get(url).status_code
        # Forms and personal pages send a visitor to the sign-in page; the directory is public.
        assert status in (200, 302, 303), f"{slug}: {url} answered {status}"
    assert client.get(links["recruitment_offices"]).status_code == 200


# -- settings ------------------------------------------------------------------------------


def test_default_fee_advance_and_complaint_delay_are_shown(client: Any) -> None:
    english = fetch(client, URL, "en")
    arabic = fetch(client, URL, "ar")

    assert "2,000.00 SAR" in service_item(english, "new_visa")
    assert "25%" in service_item(english, "mediation_contract")
    assert "60 days have passed since the contract" in service_item(english, "worker_not_arrived")
    assert "2,000.00\u00a0ر.س" in service_item(arabic, "new_visa")
    assert "60 يومًا" in service_item(arabic, "worker_not_arrived")


def test_configured_values_replace_the_defaults(make_portal: Callable[..., Any]) -> None:
    client = make_portal(
        plugins=DOMAIN,
        MUSANED_VISA_FEE="2500",
        MUSANED_CONTRACT_ADVANCE_PERCENT="30",
        MUSANED_COMPLAINT_AFTER_DAYS="90",
    ).test_client()
    english = fetch(client, URL, "en")

    assert "2,500.00 SAR" in service_item(english, "new_visa")
    assert "2,000" not in english
    assert "30%" in service_item(english, "mediation_contract")
    assert "90 days have passed" in service_item(english, "worker_not_arrived")
    assert "2,500.00\u00a0ر.س" in fetch(client, URL, "ar")


def test_environment_variable_sets_the_fee_with_halalas(
    make_portal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWAY_MUSANED_VISA_FEE", "1999.5")

    app = make_portal(plugins=DOMAIN)

    assert app.extensions["gateway"].plugins.records["musaned"].settings["visa_fee"] == Decimal("1999.5")
    assert "1,999.50 SAR" in fetch(app.test_client(), URL, "en")


@pytest.mark.parametrize(
    ("days", "arabic"),
    [(1, "يوم واحد"), (2, "يومين"), (10, "10 أيام"), (60, "60 يومًا"), (100, "100 يوم")],
)
def test_complaint_delay_uses_arabic_plural_forms(make_portal: Callable[..., Any], days: int, arabic: str) -> None:
    client = make_portal(plugins=DOMAIN, MUSANED_COMPLAINT_AFTER_DAYS=str(days)).test_client()

    assert f"بعد مضي {arabic} على التعاقد" in service_item(fetch(client, URL, "ar"), "worker_not_arrived")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("VISA_FEE", "abc"),
        ("VISA_FEE", "-1"),
        ("CONTRACT_ADVANCE_PERCENT", "101"),
        ("CONTRACT_ADVANCE_PERCENT", "a quarter"),
        ("COMPLAINT_AFTER_DAYS", "0"),
    ],
)
def test_bad_setting_stops_the_boot_naming_the_variable(make_portal: Callable[..., Any], key: str, value: str) -> None:
    # The host's ConfigError is matched by name: plugin tests never import the host.
    with pytest.raises(Exception, match=f"GATEWAY_MUSANED_{key}") as caught:
        make_portal(plugins=DOMAIN, **{f"MUSANED_{key}": value})

    assert type(caught.value).__name__ == "ConfigError"


# -- translations --------------------------------------------------------------------------


def test_arabic_catalogue_is_complete_and_compiled() -> None:
    root, mapping_file, pot_file, po_file, mo_file = CatalogueFiles.of_plugin(
        PLUGIN_DIR, DOMAIN, package="bawaba_musaned"
    )

    assert catalogue_problems(root, mapping_file, po_file, mo_file) == []
    assert catalogue_file_problems(root, mapping_file, pot_file, po_file, mo_file) == []


def test_who_may_apply_is_worked_out_for_the_signed_in_person(
    make_portal: Callable[..., Any], sign_in_as: Callable[..., Any]
) -> None:
    """The SDK's ``sign_in_as`` signs a sandbox person in, so signed-in pages are tested from here."""
    app = make_portal(plugins="musaned")
    assert app.test_client().get("/musaned/eligibility").status_code in (302, 303)  # to the sign-in page

    ahmed = sign_in_as(app, "1000000008")  # active account, no fines, 18,000 SAR a month
    page = ahmed.get("/musaned/eligibility", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "You meet every condition." in page.get_data(as_text=True)

    khalid = sign_in_as(app, "1000000016")  # 1,250 SAR of unpaid traffic violations
    refused = khalid.get("/musaned/eligibility", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1,250" in refused and "You meet every condition." not in refused
