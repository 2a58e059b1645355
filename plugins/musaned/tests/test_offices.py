"""The recruitment offices directory and an office's page, through the real pages of a fresh portal.

The fictional offices come from ``gateway demo load`` (never from a
migration), so each test loads them the way an operator would.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from musaned_portal import Musaned, text
from sqlalchemy import MetaData, Table, func, select

import bawaba_sdk as sdk
from bawaba_musaned.office_demo import DEMO_OFFICES
from bawaba_musaned.office_store import Office, OfficePrice, add_office, search_key
from bawaba_sdk.testing.demo import load_demo_data

EN = {"Accept-Language": "en"}
ACTIVE = [office for office in DEMO_OFFICES if office.active]


def load_demo(musaned: Musaned) -> str:
    """What ``gateway demo load`` does, on the test portal; its report."""
    return "\n".join(load_demo_data(musaned.app))


@pytest.fixture
def directory(musaned: Musaned) -> Musaned:
    load_demo(musaned)
    return musaned


def licences(html: str) -> list[str]:
    """The licence numbers in the results table, in order."""
    return re.findall(r'<td dir="ltr"[^>]*>(ML-\d+)</td>', html)


def get(musaned: Musaned, query: str = "", headers: dict[str, str] | None = None) -> tuple[int, str]:
    page = musaned.app.test_client().get(f"/musaned/offices{query}", headers=EN if headers is None else headers)
    return page.status_code, text(page)


# -- demo data -------------------------------------------------------------------------------


def test_demo_load_adds_the_offices_once(musaned: Musaned) -> None:
    assert "recruitment offices: 16 fictional offices added" in load_demo(musaned)
    assert "recruitment offices: all demo offices already present" in load_demo(musaned)
    with musaned.db() as db:
        assert db.scalar(select(func.count()).select_from(Office)) == len(DEMO_OFFICES)


def test_fresh_portal_has_an_empty_directory_until_demo_data_is_loaded(musaned: Musaned) -> None:
    status, html = get(musaned)
    assert status == 200
    assert "0 offices found." in html


# -- the directory ---------------------------------------------------------------------------


def test_directory_is_public_and_lists_active_offices_best_rated_first(directory: Musaned) -> None:
    status, html = get(directory)

    assert status == 200
    found = licences(html)
    assert sorted(found) == sorted(office.licence_number for office in ACTIVE)
    assert "ML-1016" not in found  # suspended licence
    ratings = [Decimal(office.rating) for office in sorted(ACTIVE, key=lambda o: found.index(o.licence_number))]
    assert ratings == sorted(ratings, reverse=True)
    assert f"{len(ACTIVE)} offices found." in html
    assert "<caption" in html and '<th scope="col">Licence number</th>' in html
    assert '<a href="/musaned/offices/ML-1003">Crescent Harbour Recruitment</a>' in html


def test_directory_is_in_arabic_by_default(directory: Musaned) -> None:
    status, html = get(directory, "?nationality=PH", headers={})
    assert status == 200
    assert 'lang="ar"' in html
    assert "مكتب مرفأ الهلال للاستقدام" in html
    assert "الفلبين" in html  # the country name comes from the CLDR in the page's language


def test_search_by_name_ignores_case_hamza_and_ta_marbuta(directory: Musaned) -> None:
    assert licences(get(directory, "?q=FALCON")[1]) == ["ML-1002"]
    # "اللؤلؤة" typed as "اللولوه" (no hamza on waw, ha for ta marbuta) still finds Blue Pearl.
    assert licences(get(directory, "?q=اللولوه")[1]) == ["ML-1006"]
    assert licences(get(directory, "?q=  مكتب   جسر  ")[1]) == ["ML-1002"]
    status, html = get(directory, "?q=nothing+like+this")
    assert status == 200 and "No office matches your search." in html


def test_filters_city_nationality_rating_and_delivery_days(directory: Musaned) -> None:
    assert sorted(licences(get(directory, "?city=jeddah")[1])) == ["ML-1003", "ML-1004"]
    kenya = {office.licence_number for office in ACTIVE if "KE" in office.prices}
    assert set(licences(get(directory, "?nationality=ke")[1])) == kenya
    # Arabic-Indic digits and the Arabic decimal separator are understood.
    best = {office.licence_number for office in ACTIVE if Decimal(office.rating) >= Decimal("4.5")}
    assert set(licences(get(directory, "?min_rating=٤٫٥")[1])) == best
    fast = {office.licence_number for office in ACTIVE if office.days <= 50}
    assert set(licences(get(directory, "?max_days=50")[1])) == fast
    both = {o.licence_number for o in ACTIVE if o.city == "riyadh" and "PH" in o.prices and o.days <= 60}
    assert set(licences(get(directory, "?city=riyadh&nationality=PH&max_days=60")[1])) == both


def test_sorting_by_price_for_a_nationality_and_by_delivery_days(directory: Musaned) -> None:
    status, html = get(directory, "?nationality=PH&sort=price")
    assert status == 200
    philippines = sorted((o for o in ACTIVE if "PH" in o.prices), key=lambda o: o.prices["PH"])
    assert licences(html) == [office.licence_number for office in philippines]
    assert "Price for Philippines" in html and "12,500.00 SAR" in html

    days = [
        next(o.days for o in ACTIVE if o.licence_number == lic) for lic in licences(get(directory, "?sort=days")[1])
    ]
    assert days == sorted(days)


def test_paging_twenty_offices_a_page_keeping_the_filters(directory: Musaned) -> None:
    with directory.db() as db:
        for number in range(1, 21):
            add_office(
                db,
                licence_number=f"ML-2{number:03d}",
                name_ar=f"مكتب تجريبي {number}",
                name_en=f"Test Office {number}",
                city="riyadh",
                rating=Decimal("3.0"),
                average_delivery_days=30,
                prices={"PH": Decimal("10000")},
            )
        db.commit()
    total = len(ACTIVE) + 20

    status, first = get(directory)
    assert status == 200 and len(licences(first)) == 20 and f"{total} offices found." in first
    assert "Page 1 of 2" in first
    assert 'href="/musaned/offices?page=2"' in first
    _status, second = get(directory, "?page=2")
    assert len(licences(second)) == total - 20
    assert not set(licences(first)) & set(licences(second))

    status, filtered = get(directory, "?city=riyadh&nationality=PH&sort=price&page=2")
    assert status == 200 and "Page 2 of 2" in filtered  # 3 demo offices in Riyadh recruit from PH, and 20 more
    assert len(licences(filtered)) == 3
    previous = re.search(r'href="([^"]+)" rel="prev"', filtered)
    assert previous is not None
    assert all(part in previous.group(1) for part in ("page=1", "city=riyadh", "nationality=PH", "sort=price"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?city=atlantis", "Choose a city from the list."),
        ("?nationality=XX", "Choose a nationality from the list."),
        ("?min_rating=abc", "Enter a minimum rating from 1 to 5"),
        ("?min_rating=6", "Enter a minimum rating from 1 to 5"),
        ("?min_rating=NaN", "Enter a minimum rating from 1 to 5"),
        ("?max_days=0", "Enter the longest delivery time as a whole number of days"),
        ("?max_days=1e3", "Enter the longest delivery time as a whole number of days"),
        ("?sort=cheapest", "Choose how to sort the offices from the list."),
        ("?sort=price", "Choose a nationality to sort by price"),
        ("?page=0", "The page number must be a whole number"),
        ("?page=abc", "The page number must be a whole number"),
        ("?page=2", "There is no page 2: the results have 1."),
        ("?q=" + "x" * 101, "Search with at most 100 characters."),
    ],
)
def test_bad_filters_answer_400_with_a_message(directory: Musaned, query: str, message: str) -> None:
    status, html = get(directory, query)
    assert status == 400
    assert message in html
    assert "There is a problem" in html and "Error:" in html
    assert licences(html) == []


# -- an office's page ------------------------------------------------------------------------


def test_office_page_shows_details_and_prices_and_leads_to_a_contract(directory: Musaned) -> None:
    page = directory.app.test_client().get("/musaned/offices/ml-١٠٠١", headers=EN)
    html = text(page)

    assert page.status_code == 200
    assert "<h1>Palm Frond Recruitment Office</h1>" in html
    assert "مكتب سعف النخيل للاستقدام" in html
    for country, price in (
        ("Philippines", "15,500.00 SAR"),
        ("Kenya", "11,000.00 SAR"),
        ("Sri Lanka", "13,900.00 SAR"),
    ):
        assert f'<th scope="row">{country}</th><td data-label="Price">{price}</td>' in html
    assert "4.7 of 5" in html and "45 days" in html and "Riyadh" in html
    assert 'href="/apply/musaned/mediation_contract/"' in html


def test_unknown_licence_is_404_with_a_message(directory: Musaned) -> None:
    page = directory.app.test_client().get("/musaned/offices/ML-9999", headers=EN)
    assert page.status_code == 404
    assert "No licensed recruitment office has the licence number ML-9999." in text(page)


def test_suspended_office_has_a_page_but_no_contract_link(directory: Musaned) -> None:
    page = directory.app.test_client().get("/musaned/offices/ML-1016", headers=EN)
    assert page.status_code == 200
    assert "not taking new contracts" in text(page)
    assert "/apply/musaned/mediation_contract/" not in text(page)


def test_directory_is_linked_from_the_program_page(directory: Musaned) -> None:
    html = text(directory.app.test_client().get("/musaned/", headers=EN))
    assert 'href="/musaned/offices"' in html


# -- the tables ------------------------------------------------------------------------------


def test_the_migration_matches_the_tables(musaned: Musaned) -> None:
    ours = MetaData()
    for model in (Office, OfficePrice):
        cast(Table, model.__table__).to_metadata(ours)
    tables = {"musaned_offices", "musaned_office_prices"}
    with musaned.app.app_context():
        engine = sdk.db_session().get_bind()

    def only_offices(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in tables

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": only_offices})
        assert compare_metadata(context, ours) == []


def test_search_key_folds_what_people_type_differently() -> None:
    assert search_key("مكتبُ الأمَل") == search_key("مكتب الامل")
    assert search_key("إستقدام") == search_key("استقدام")
    assert search_key("مدرسة") == search_key("مدرسه")
    assert search_key("مستشفى") == search_key("مستشفي")
    assert search_key("ﻣﻜﺘﺐ") == search_key("مكتب")  # presentation forms from a PDF
    assert search_key("  Falcon   BRIDGE ") == "falcon bridge"
    assert search_key("مكتب ١٢٣") == "مكتب 123"
