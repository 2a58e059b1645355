"""The public page of a program's rules and amounts, in both languages, linked from the program page."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.sample_plugins.allowance import plugin as allowance

Build = Callable[..., Flask]
RULES = "/programs/allowance/rules"


def get(app: Flask, path: str, language: str) -> tuple[int, str]:
    response = app.test_client().get(path, headers={"Accept-Language": language})
    return response.status_code, response.get_data(as_text=True)


def test_every_value_with_its_date_and_source_in_english(allowance_app: Build) -> None:
    status, page = get(allowance_app(), RULES, "en")

    assert status == 200
    assert '<html lang="en" dir="ltr">' in page
    assert "Rules and amounts of Household allowance" in page
    assert "Allowance for the household" in page and "Children under 18 living in the household." in page
    assert "1,000.00 SAR a month" in page and "800.00 SAR a month" in page
    assert '<span class="figure">1 January 2024</span>' in page
    assert "Ministerial decision 2023/45" in page
    assert '<a href="https://example.gov.sa/allowance-2020" rel="noopener noreferrer">' in page
    assert "3 months" in page and "Yes" in page
    assert page.count(">In force<") == 5  # one value in force for each of the five parameters


def test_the_page_reads_in_arabic_with_the_plugins_translations(allowance_app: Build) -> None:
    status, page = get(allowance_app(), RULES, "ar")

    assert status == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert "بدل الأسرة الأساسي" in page and "القرار الوزاري 2023/45" in page
    assert "يناير 2024" in page
    assert "ر.س" in page
    assert "Allowance for the household" not in page


def test_an_operators_value_says_it_was_set_by_the_operator(allowance_app: Build) -> None:
    _status, page = get(allowance_app(ALLOWANCE_P_ALLOWANCE_CAP="3000"), RULES, "en")
    assert "3,000.00 SAR a month" in page
    assert "Set by the portal&#39;s operator (GATEWAY_ALLOWANCE_P_ALLOWANCE_CAP)" in page
    assert "2,500.00 SAR a month" not in page  # the override replaced the published value of its own day


def test_a_value_announced_for_a_later_day_is_shown_as_announced(allowance_app: Build) -> None:
    _status, page = get(allowance_app(ALLOWANCE_P_ALLOWANCE_CAP="3000@2099-01-01"), RULES, "en")
    assert ">Announced<" in page and "1 January 2099" in page
    assert "2,500.00 SAR a month" in page


def test_the_program_page_links_to_its_rules_and_a_program_without_parameters_does_not(
    allowance_app: Build,
) -> None:
    app = allowance_app()
    _status, program_page = get(app, "/allowance/", "en")
    assert f'<a href="{RULES}">Read the rules and amounts of Household allowance</a>' in program_page
    _status, musaned_page = get(app, "/musaned/", "en")
    assert "/programs/musaned/rules" not in musaned_page
    assert get(app, "/programs/musaned/rules", "en")[0] == 404
    assert get(app, "/programs/nobody/rules", "en")[0] == 404


def test_the_rules_of_a_program_that_failed_are_unavailable(allowance_app: Build) -> None:
    app = allowance_app()
    app.extensions["gateway"].plugins.fail("allowance", "broken on purpose")
    assert get(app, RULES, "en")[0] == 503
    assert allowance.PARAMETERS_ANSWER == []
