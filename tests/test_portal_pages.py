"""The portal's own pages: the footer's pages, the emblem as favicon, the header's menu."""

from __future__ import annotations

import pytest
from flask import Flask

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    ("path", "english", "arabic"),
    [
        ("/about/contact", "Contact us", "تواصل معنا"),
        ("/about/accessibility", "Accessibility statement", "بيان إمكانية الوصول"),
        ("/about/privacy", "Privacy notice", "إشعار الخصوصية"),
    ],
)
def test_the_footer_pages_exist_in_both_languages_and_every_page_links_them(
    app: Flask, path: str, english: str, arabic: str
) -> None:
    client = app.test_client()
    page = client.get(path, headers=EN)
    assert page.status_code == 200
    assert f"<h1>{english}</h1>" in page.get_data(as_text=True)
    assert f"<h1>{arabic}</h1>" in client.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True)
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert f'href="{path}"' in home.split('<footer class="site-footer"', 1)[1]


def test_the_emblem_is_the_favicon_and_favicon_ico_is_not_a_404(app: Flask) -> None:
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/img/emblem.svg" type="image/svg+xml">' in home
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy.headers["Location"].endswith("/static/img/emblem.svg")
    emblem = client.get("/static/img/emblem.svg")
    assert emblem.status_code == 200 and b"<svg" in emblem.data


def test_the_header_folds_into_a_menu_that_works_without_javascript(app: Flask) -> None:
    home = app.test_client().get("/", headers=EN).get_data(as_text=True)
    toggle = '<input type="checkbox" id="site-menu-toggle" class="site-menu-toggle" aria-controls="site-menu"'
    assert f'{toggle} aria-label="Menu">' in home, "the checkbox has its own accessible name (axe)"
    assert '<label for="site-menu-toggle" class="site-menu-button">' in home
    assert '<div class="site-menu" id="site-menu">' in home


def test_the_fonts_are_shipped_with_their_licence(app: Flask) -> None:
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/static/css/fonts.css"' in home
    fonts = client.get("/static/css/fonts.css").get_data(as_text=True)
    for name in ("noto-naskh-arabic-arabic-400-normal", "noto-sans-latin-700-normal"):
        assert f"../fonts/{name}.woff2" in fonts
        served = client.get(f"/static/fonts/{name}.woff2")
        assert served.status_code == 200 and served.data[:4] == b"wOF2"
    licence = client.get("/static/fonts/OFL-noto-naskh-arabic.txt").get_data(as_text=True)
    assert "SIL Open Font License, Version 1.1" in licence
