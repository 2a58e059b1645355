"""The header names up to six programs; a portal with more links to the full list on the home page."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.sample_plugins import entry_points

EIGHT = {
    "musaned": "bawaba_musaned.plugin",
    "social_security": "bawaba_social_security.plugin",
    "gosi": "bawaba_gosi.plugin",
    "library": "tests.sample_plugins.library.plugin",
    "permits": "tests.sample_plugins.permits.plugin",
    "probe": "tests.sample_plugins.workflow_probe",
    "toll": "tests.sample_plugins.toll_probe",
    "engine": "tests.sample_plugins.engine_probe",
}


def _nav(html: str) -> str:
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


def test_three_programs_are_all_named_in_the_header(make_app: Callable[..., Flask]) -> None:
    html = make_app().test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)

    nav = _nav(html)
    assert all(f'href="/{slug}/"' in nav for slug in ("musaned", "social_security", "gosi"))
    assert "All programs" not in nav


def test_more_than_six_programs_end_with_a_link_to_all_of_them(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS=",".join(EIGHT), PLUGIN_ENTRY_POINTS=entry_points(**EIGHT))
    serving = [program.slug for program in app.extensions["gateway"].enabled_programs()]
    assert len(serving) > 6, serving

    english = app.test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    arabic = app.test_client().get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)

    nav = _nav(english)
    assert sum(f'href="/{slug}/"' in nav for slug in serving) == 6
    assert 'href="/#programs-title">All programs</a>' in nav
    assert "جميع البرامج" in _nav(arabic)
    assert all(f'href="/{slug}/"' in english[english.index('id="programs-title"') :] for slug in serving)
