"""Languages: Arabic and right to left by default, English by switch or by browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient


def html_tag(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"<html[^>]*>", response.get_data(as_text=True))
    assert match, "every page has an <html> tag"
    return match.group(0)


def test_arabic_and_right_to_left_by_default(client: FlaskClient) -> None:
    response = client.get("/")
    assert html_tag(response) == '<html lang="ar" dir="rtl">'
    text = response.get_data(as_text=True)
    assert "بوابة" in text
    assert "مساند" in text
    assert "تخطَّ إلى المحتوى الرئيسي" in text or "انتقل إلى المحتوى الرئيسي" in text


def test_accept_language_selects_english(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Musaned" in response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]


def test_unsupported_accept_language_falls_back_to_arabic(client: FlaskClient) -> None:
    assert html_tag(client.get("/", headers={"Accept-Language": "fr-FR,de;q=0.8"})) == '<html lang="ar" dir="rtl">'


def test_the_language_switch_persists_in_a_cookie_and_wins_over_the_browser(client: FlaskClient) -> None:
    switched = client.post("/language", data={"language": "en", "next": "/gosi/"})
    assert switched.status_code == 303
    assert switched.headers["Location"] == "/gosi/"
    cookie = switched.headers["Set-Cookie"]
    assert "lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_tag(client.get("/gosi/", headers={"Accept-Language": "ar"})) == '<html lang="en" dir="ltr">'
    client.post("/language", data={"language": "ar", "next": "/"})
    assert html_tag(client.get("/", headers={"Accept-Language": "en"})) == '<html lang="ar" dir="rtl">'


def test_the_switch_ignores_unknown_languages_and_foreign_redirects(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = client.post("/language", data={"language": "en", "next": target})
        assert response.status_code == 303
        assert response.headers["Location"] == "/", target
    response = client.post("/language", data={"language": "xx", "next": "/"})
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_the_switch_is_a_form_that_works_without_javascript(client: FlaskClient) -> None:
    page = client.get("/musaned/").get_data(as_text=True)
    form = re.search(r'<form class="language-switch" method="post" action="/language">(.*?)</form>', page, re.S)
    assert form, "the language switch is a plain form"
    assert 'name="next" value="/musaned/"' in form.group(1)
    assert 'name="language" value="en"' in form.group(1)
    assert 'name="csrf_token"' in form.group(1)
    assert "<script" not in page


def test_the_switch_needs_a_csrf_token(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/language", data={"language": "en", "next": "/"}, headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    assert "The form has expired" in refused.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    accepted = client.post("/language", data={"language": "en", "next": "/", "csrf_token": token.group(1)})
    assert accepted.status_code == 303


def test_accessible_layout_landmarks(client: FlaskClient) -> None:
    for path in ("/", "/musaned/", "/social_security/", "/gosi/", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        assert '<a class="skip-link" href="#main">' in page, path
        assert '<main id="main"' in page, path
        assert '<header class="site-header" role="banner">' in page, path
        assert '<nav class="site-nav" aria-label=' in page, path
        assert '<footer class="site-footer" role="contentinfo">' in page, path
        assert '<meta name="viewport"' in page, path
        assert page.count("<h1") == 1, path


def test_home_page_lists_enabled_programs_in_the_current_language(client: FlaskClient) -> None:
    arabic = client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for slug in ("musaned", "social_security", "gosi"):
        assert f'href="/{slug}/"' in arabic
    assert ("Musaned" in english and "GOSI" in english) or "Social Insurance" in english
    assert "التأمينات" in arabic
    assert "الضمان الاجتماعي" in arabic


PROJECT = Path(__file__).resolve().parents[1]
PHYSICAL_PROPERTY = re.compile(
    r"(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right)(?:-[a-z]+)?"
    r"|border-(?:top|bottom)-(?:left|right)-radius|left|right|top|bottom"
    r"|(?:min-|max-)?(?:width|height)"
)
"""Properties tied to a physical side or axis; each has a logical twin (``margin-inline-start``,
``inset-inline-end``, ``inline-size``...) that follows the page's direction."""
PHYSICAL_VALUE = re.compile(r"(?:text-align|float|clear)\s*:\s*(?:left|right)\b")


def stylesheets() -> list[Path]:
    """The host's stylesheets and any a first-party plugin ships."""
    return sorted([*(PROJECT / "gateway" / "static").rglob("*.css"), *(PROJECT / "plugins").glob("*/static/**/*.css")])


def declarations(css: str) -> list[tuple[str, str]]:
    """Each ``property: value`` inside a rule's braces (not a media query's condition), comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = []
    for body in re.findall(r"\{([^{}]*)\}", css):
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                found.append((name.strip().lower(), value.strip().lower()))
    return found


def test_stylesheets_use_logical_properties_only(client: FlaskClient) -> None:
    """Margins, paddings, borders, positions, sizes and alignment follow the text's direction, so one
    stylesheet lays out Arabic right to left and English left to right."""
    sheets = stylesheets()
    assert PROJECT / "gateway" / "static" / "css" / "main.css" in sheets
    for sheet in sheets:
        for name, value in declarations(sheet.read_text(encoding="utf-8")):
            assert not PHYSICAL_PROPERTY.fullmatch(name), f"{sheet.name}: {name}: {value}"
            assert not PHYSICAL_VALUE.search(f"{name}: {value}"), f"{sheet.name}: {name}: {value}"
    served = client.get("/static/css/main.css").get_data(as_text=True)
    assert ":focus-visible" in served


def test_templates_have_no_inline_styles() -> None:
    """Every style lives in a stylesheet checked above; the Content-Security-Policy (style-src 'self')
    would block an inline one anyway, so a page relying on it would break silently."""
    templates = [
        *(PROJECT / "gateway" / "templates").rglob("*.html"),
        *(PROJECT / "plugins").glob("*/templates/**/*.html"),
    ]
    assert len(templates) > 20
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=|<style[\s>]", text, flags=re.IGNORECASE), template
