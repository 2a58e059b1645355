"""GOSI's own tests, run against apps built by the real factory.

The plugin is loaded the way a third party's is (from its ``gateway.plugins``
entry point); its page must serve in Arabic and English, say what a
contributor can do, invent no contact numbers, and ship a complete, compiled
catalogue.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from gateway import create_app

PLUGIN_DIR = Path(__file__).resolve().parents[1]
DOMAIN = "gosi"
URL = "/gosi/"

PROGRAM_NAME = {"en": "Social Insurance (GOSI)", "ar": "التأمينات الاجتماعية"}
SERVICES = {
    "pension": {"en": "Apply for a pension", "ar": "طلب صرف معاش"},
    "health_treatment": {"en": "Health insurance and treatment", "ar": "التأمين الصحي والعلاج"},
    "employment_record": {"en": "Employment periods and wages", "ar": "مدد الاشتراك والأجور"},
    "personal_data": {"en": "Update personal data", "ar": "تحديث البيانات الشخصية"},
    "inquiries": {"en": "Contact and inquiries", "ar": "التواصل والاستفسارات"},
}
CONTRIBUTOR = {
    "en": ("What you can do as a contributor", "such as physiotherapy", "sign in with your civil number and password"),
    "ar": ("ما يمكنك فعله بصفتك مشتركًا", "مثل العلاج الطبيعي", "تسجّل الدخول برقمك المدني وكلمة المرور"),
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
    record = app.extensions["gateway"].plugins.records["gosi"]

    assert record.status == "enabled", record.reason
    assert record.entry_point == "plugins.gosi.plugin"
    assert record.program.slug == "gosi"
    assert "/gosi/" in record.routes
    assert record.settings == {}


def test_only_enabled_when_configured(make_app: Callable[..., Any]) -> None:
    app = make_app(PLUGINS="musaned")
    client = app.test_client()

    assert app.extensions["gateway"].plugins.records["gosi"].status == "disabled"
    assert client.get(URL).status_code == 404
    assert client.get("/musaned/").status_code == 200


# -- the page in both languages ------------------------------------------------------------


def test_page_is_arabic_and_right_to_left_by_default(client: Any) -> None:
    html = page(client)

    assert '<html lang="ar" dir="rtl"' in html
    assert f"<h1>{PROGRAM_NAME['ar']}</h1>" in html
    assert service_titles(html) == {slug: names["ar"] for slug, names in SERVICES.items()}
    for text in CONTRIBUTOR["ar"]:
        assert text in html
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
    for text in CONTRIBUTOR["en"]:
        assert text in html
    assert PROGRAM_NAME["ar"] not in html


def test_no_service_links_to_a_page_that_does_not_exist(client: Any) -> None:
    html = page(client, "en")

    for slug, title in service_titles(html).items():
        assert "<a" not in title, f"service {slug} is linked but has no online form"
        assert "coming to the portal soon" in service_item(html, slug)


def test_no_contact_numbers_are_invented(client: Any) -> None:
    html = page(client, "en")

    assert 'id="contact-title"' not in html
    assert "tel:" not in html
    assert "mailto:" not in html


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
