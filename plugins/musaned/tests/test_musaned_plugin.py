"""Musaned's own tests, run against apps built by the real factory.

The plugin is loaded the way a third party's is (from its ``gateway.plugins``
entry point); its page must serve in Arabic and English, show its settings,
refuse bad settings at start-up, and ship a complete, compiled catalogue.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from gateway import ConfigError, create_app

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


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Build portals with the three first-party plugins; keyword arguments add config keys."""
    built = []

    def factory(**overrides: Any) -> Any:
        config = {
            "ENV": "testing",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/t.db",
            "PLUGINS": "musaned,social_security,gosi",
            **overrides,
        }
        app = create_app(config)
        built.append(app)
        return app

    yield factory
    for app in built:
        app.extensions["gateway"].database.dispose()


@pytest.fixture
def client(make_app: Callable[..., Any]) -> Any:
    return make_app().test_client()


def page(client: Any, language: str | None = None) -> str:
    headers = {"Accept-Language": language} if language else {}
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def service_titles(html: str) -> dict[str, str]:
    """Each service's slug -> the HTML inside its heading on the program page."""
    found = re.findall(r'id="service-(\w+)">\s*<h3 class="service__title">(.*?)</h3>', html, re.DOTALL)
    return {slug: title.strip() for slug, title in found}


def service_item(html: str, slug: str) -> str:
    """The HTML of one service's list item (up to the next service)."""
    start = html.index(f'id="service-{slug}"')
    end = html.find('<li class="service"', start)
    return html[start : end if end != -1 else len(html)]


# -- loading -------------------------------------------------------------------------------


def test_plugin_is_loaded_from_its_entry_point_and_serving(make_app: Callable[..., Any]) -> None:
    app = make_app()
    record = app.extensions["gateway"].plugins.records["musaned"]

    assert record.status == "enabled", record.reason
    assert record.entry_point == "plugins.musaned.plugin"
    assert record.program.slug == "musaned"
    assert "/musaned/" in record.routes
    assert record.settings == {"visa_fee": Decimal("2000"), "contract_advance_percent": 25, "complaint_after_days": 60}


def test_program_is_listed_on_the_home_page(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)

    assert f'<a href="{URL}">{PROGRAM_NAME["ar"]}</a>' in html


# -- the page in both languages ------------------------------------------------------------


def test_page_is_arabic_and_right_to_left_by_default(client: Any) -> None:
    html = page(client)

    assert '<html lang="ar" dir="rtl"' in html
    assert f"<h1>{PROGRAM_NAME['ar']}</h1>" in html
    assert service_titles(html) == {slug: names["ar"] for slug, names in SERVICES.items()}
    for condition in CONDITIONS["ar"]:
        assert condition in html
    assert "الرقم الموحد" in html
    assert 'href="tel:920002866"' in html
    assert 'href="tel:19911"' in html
    for names in SERVICES.values():
        assert names["en"] not in html


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_page_is_english_when_asked(client: Any, how: str) -> None:
    if how == "cookie":
        client.set_cookie("lang", "en")
        html = page(client)
    else:
        html = page(client, "en")

    assert '<html lang="en" dir="ltr"' in html
    assert f"<h1>{PROGRAM_NAME['en']}</h1>" in html
    assert service_titles(html) == {slug: names["en"] for slug, names in SERVICES.items()}
    for condition in CONDITIONS["en"]:
        assert condition in html
    assert "Unified number" in html
    assert PROGRAM_NAME["ar"] not in html


def test_no_service_links_to_a_page_that_does_not_exist(client: Any) -> None:
    html = page(client, "en")

    for slug, title in service_titles(html).items():
        assert "<a" not in title, f"service {slug} is linked but has no online form"
        assert "coming to the portal soon" in service_item(html, slug)


# -- settings ------------------------------------------------------------------------------


def test_default_fee_advance_and_complaint_delay_are_shown(client: Any) -> None:
    english = page(client, "en")
    arabic = page(client, "ar")

    assert "2,000 SAR" in service_item(english, "new_visa")
    assert "25%" in service_item(english, "mediation_contract")
    assert "60 days have passed since the contract" in service_item(english, "worker_not_arrived")
    assert "2,000 ريال سعودي" in service_item(arabic, "new_visa")
    assert "60 يومًا" in service_item(arabic, "worker_not_arrived")


def test_configured_values_replace_the_defaults(make_app: Callable[..., Any]) -> None:
    client = make_app(
        MUSANED_VISA_FEE="2500", MUSANED_CONTRACT_ADVANCE_PERCENT="30", MUSANED_COMPLAINT_AFTER_DAYS="90"
    ).test_client()
    english = page(client, "en")

    assert "2,500 SAR" in service_item(english, "new_visa")
    assert "2,000" not in english
    assert "30%" in service_item(english, "mediation_contract")
    assert "90 days have passed" in service_item(english, "worker_not_arrived")
    assert "2,500 ريال سعودي" in page(client, "ar")


def test_environment_variable_sets_the_fee_with_halalas(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWAY_MUSANED_VISA_FEE", "1999.5")

    app = make_app()

    assert app.extensions["gateway"].plugins.records["musaned"].settings["visa_fee"] == Decimal("1999.5")
    assert "1,999.50 SAR" in page(app.test_client(), "en")


@pytest.mark.parametrize(
    ("days", "arabic"),
    [(1, "يوم واحد"), (2, "يومين"), (10, "10 أيام"), (60, "60 يومًا"), (100, "100 يوم")],
)
def test_complaint_delay_uses_arabic_plural_forms(make_app: Callable[..., Any], days: int, arabic: str) -> None:
    client = make_app(MUSANED_COMPLAINT_AFTER_DAYS=str(days)).test_client()

    assert f"بعد مضي {arabic} على التعاقد" in service_item(page(client, "ar"), "worker_not_arrived")


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
def test_bad_setting_stops_the_boot_naming_the_variable(make_app: Callable[..., Any], key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"GATEWAY_MUSANED_{key}"):
        make_app(**{f"MUSANED_{key}": value})


# -- translations --------------------------------------------------------------------------


def read_catalog(path: Path) -> Any:
    with path.open("rb") as handle:
        return read_po(handle, locale="ar" if path.suffix == ".po" else None)


def msgid(message: Any) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_template_lists_every_string_in_the_code_and_templates() -> None:
    with (PLUGIN_DIR / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    extracted = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            PLUGIN_DIR, method_map, options_map, keywords=keywords
        )
    }
    template = {msgid(message) for message in read_catalog(PLUGIN_DIR / "translations" / f"{DOMAIN}.pot") if message.id}

    assert extracted == template, "re-run pybabel extract (see babel.cfg)"


def test_every_message_has_an_arabic_translation() -> None:
    template = read_catalog(PLUGIN_DIR / "translations" / f"{DOMAIN}.pot")
    arabic = read_catalog(PLUGIN_DIR / "translations" / "ar" / "LC_MESSAGES" / f"{DOMAIN}.po")

    for message in template:
        if not message.id:
            continue
        translated = arabic.get(message.id)
        assert translated is not None, f"missing from the Arabic catalogue: {msgid(message)!r}"
        assert not translated.fuzzy, f"fuzzy: {msgid(message)!r}"
        forms = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        assert len(forms) == (arabic.num_plurals if message.pluralizable else 1)
        assert all(form.strip() for form in forms), f"untranslated: {msgid(message)!r}"


def test_compiled_catalogue_is_up_to_date() -> None:
    messages = PLUGIN_DIR / "translations" / "ar" / "LC_MESSAGES"
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(messages / f"{DOMAIN}.po"))
    compiled.seek(0)

    with (messages / f"{DOMAIN}.mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)

    assert committed._catalog == gettext.GNUTranslations(compiled)._catalog, "re-run pybabel compile"
