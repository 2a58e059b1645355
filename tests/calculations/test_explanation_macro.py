"""The ``explanation`` macro of the template API: a calculation explained to the citizen it affects."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

Build = Callable[..., Flask]


def page(app: Flask, query: str, language: str) -> str:
    response = app.test_client().get(f"/allowance/estimate?{query}", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def text(html: str) -> str:
    """The page's words without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_each_line_shows_its_rule_value_day_and_source(allowance_app: Build) -> None:
    shown = text(page(allowance_app(), "children=2&income=500.00", "en"))

    assert "Monthly allowance on 1 December 2026: 1,100.00 SAR" in shown
    assert "Met: Nobody spent more than the allowed months abroad" in shown
    assert "Allowance for the household" in shown and "plus 1,000.00 SAR" in shown
    assert (
        "Allowance for the household: 1,000.00 SAR a month, in force since 1 January 2024. "
        "Source: Ministerial decision 2023/45" in shown
    )
    assert "Allowance for 2 children (300.00 SAR a month × 2)" in shown and "plus 600.00 SAR" in shown
    assert "Monthly income of 500.00 counted in full" in shown and "minus 500.00 SAR" in shown
    assert "Your situation" in shown and "at least 0.00 SAR · not needed" in shown
    assert "at most 2,500.00 SAR · not reached" in shown


def test_a_source_that_can_be_read_online_is_linked(allowance_app: Build) -> None:
    html = page(allowance_app(), "children=1&income=0", "en")
    link = '<a href="https://example.gov.sa/allowance-2020" rel="noopener noreferrer">Allowance rules, 2020 edition</a>'
    assert html.count(link) == 1  # the child's rule has an address; the household's 2024 decision has none
    app = allowance_app(ALLOWANCE_P_ALLOWANCE_BASE="900")
    shown = text(page(app, "children=0", "en"))
    assert "Source: Set by the portal&#39;s operator (GATEWAY_ALLOWANCE_P_ALLOWANCE_BASE)" in shown


def test_an_unmet_condition_is_said_in_plain_words(allowance_app: Build) -> None:
    shown = text(page(allowance_app(), "children=1&abroad=5", "en"))
    assert "Not eligible on 1 December 2026: a condition below is not met." in shown
    assert "Not met: Nobody spent more than the allowed months abroad" in shown
    assert "5 months abroad in the last 12; at most 3 are allowed." in shown
    assert "Most months abroad in the last 12: 3 months, in force since 1 January 2021." in shown


def test_the_cap_says_it_applied(allowance_app: Build) -> None:
    shown = text(page(allowance_app(), "children=9&income=0", "en"))
    assert "at most 2,500.00 SAR · applied" in shown
    assert "Monthly allowance on 1 December 2026: 2,500.00 SAR" in shown


def test_in_arabic_with_the_plugins_labels_and_figures_formatted(allowance_app: Build) -> None:
    html = page(allowance_app(), "children=2&income=500.00", "ar")
    shown = text(html)
    assert '<html lang="ar" dir="rtl">' in html
    assert "البدل الشهري" in shown and "بدل 2 من الأطفال" in shown
    assert "القرار الوزاري 2023/45" in shown and "يناير 2024" in shown
    assert "ر.س" in shown
    assert "Allowance for the household" not in shown


def test_a_stored_explanation_renders_the_same(allowance_app: Build) -> None:
    app = allowance_app()
    fresh = text(page(app, "children=2&income=500.00", "en"))
    stored = text(page(app, "children=2&income=500.00&stored=1", "en"))
    assert fresh == stored
