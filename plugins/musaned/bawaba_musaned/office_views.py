"""Pages of the offices part: the public directory, an office's page, and the person's contract requests.

The directory is open to everyone (choosing an office comes before signing
in); its filters arrive in the query string, so every value is checked and a
bad one answers 400 with a message naming it, never a 500 or a silently
ignored filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.validators import format_sar

from . import complaints
from .contracts import SERVICE as CONTRACT_SERVICE
from .contracts import contracts_of
from .i18n import _
from .office_store import (
    CITIES,
    SORTS,
    OfficeFilters,
    offered_nationalities,
    office_by_licence,
    search_offices,
)
from .web import SLUG, bp

MAX_QUERY = 100
MAX_DAYS = 365
MAX_PAGE = 10_000
CONTRACT_FORM = f"/apply/{SLUG}/{CONTRACT_SERVICE}/"
COMPLAINT_FORM = f"/apply/{SLUG}/{complaints.SERVICE}/"


def _text(args: Mapping[str, str], name: str) -> str:
    return sdk.normalize_digits(str(args.get(name) or "")).strip()


def parse_filters(args: Mapping[str, str], nationalities: list[str]) -> tuple[OfficeFilters, dict[str, str]]:
    """The directory's filters from the query string, and a message for each value that cannot be used."""
    errors: dict[str, str] = {}
    query = " ".join(_text(args, "q").split())
    if len(query) > MAX_QUERY:
        errors["q"] = _("Search with at most %(max)s characters.", max=MAX_QUERY)
    city = _text(args, "city").lower() or None
    if city is not None and city not in CITIES:
        errors["city"] = _("Choose a city from the list.")
    nationality = _text(args, "nationality").upper() or None
    if nationality is not None and nationality not in nationalities:
        errors["nationality"] = _("Choose a nationality from the list.")
    min_rating = None
    rating_text = _text(args, "min_rating").replace("٫", ".").replace(",", ".")
    if rating_text:
        try:
            min_rating = Decimal(rating_text)
        except InvalidOperation:
            min_rating = None
        if min_rating is None or not min_rating.is_finite() or not Decimal(1) <= min_rating <= Decimal(5):
            errors["min_rating"] = _("Enter a minimum rating from 1 to 5, for example 4 or 4.5.")
            min_rating = None
    max_days = _whole_number(_text(args, "max_days"), 1, MAX_DAYS)
    if _text(args, "max_days") and max_days is None:
        errors["max_days"] = _(
            "Enter the longest delivery time as a whole number of days from 1 to %(max)s.", max=MAX_DAYS
        )
    sort = _text(args, "sort").lower() or "rating"
    if sort not in SORTS:
        errors["sort"] = _("Choose how to sort the offices from the list.")
    elif sort == "price" and nationality is None and "nationality" not in errors:
        errors["sort"] = _("Choose a nationality to sort by price: offices quote a price for each nationality.")
    page = _whole_number(_text(args, "page"), 1, MAX_PAGE) if _text(args, "page") else 1
    if page is None:
        errors["page"] = _("The page number must be a whole number from 1 to %(max)s.", max=MAX_PAGE)
    filters = OfficeFilters(
        query=query,
        city=city if "city" not in errors else None,
        nationality=nationality if "nationality" not in errors else None,
        min_rating=min_rating,
        max_days=max_days,
        sort=sort if sort in SORTS else "rating",
        page=page or 1,
    )
    return filters, errors


def _whole_number(text: str, minimum: int, maximum: int) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def _page_args(filters: OfficeFilters) -> dict[str, Any]:
    """The query string that repeats ``filters`` (for the paging links)."""
    args: dict[str, Any] = {"q": filters.query, "city": filters.city, "nationality": filters.nationality}
    args["min_rating"] = str(filters.min_rating) if filters.min_rating is not None else None
    args["max_days"] = filters.max_days
    args["sort"] = filters.sort if filters.sort != "rating" else None
    return {name: value for name, value in args.items() if value not in (None, "")}


@bp.get("/offices")
def offices() -> Any:
    """The directory of licensed recruitment offices: search, filters, sorting and pages."""
    session = sdk.db_session()
    nationalities = offered_nationalities(session)
    filters, errors = parse_filters(sdk.request.args, nationalities)
    result = None if errors else search_offices(session, filters)
    if result is not None and filters.page > result.pages:
        errors["page"] = _(
            "There is no page %(page)s: the results have %(pages)s.", page=filters.page, pages=result.pages
        )
        result = None
    language = sdk.current_language()
    page = sdk.render_template(
        f"{SLUG}/office_list.html",
        filters=filters,
        args=sdk.request.args,
        errors=errors,
        result=result,
        page_args=_page_args(filters),
        cities=list(CITIES.items()),
        city_names=CITIES,
        chosen_country=sdk.CountryName(filters.nationality) if filters.nationality else "",
        nationalities=[(code, sdk.CountryName(code)) for code in nationalities],
        sorts=[("rating", _("Best rated first")), ("price", _("Lowest price first")), ("days", _("Fastest first"))],
        language=language,
        sar=lambda amount: format_sar(amount, language),
        recruits=lambda found: _list_separator(language).join(
            sorted(sdk.country_name(row.nationality) for row in found.prices)
        ),
    )
    return (page, 400) if errors else page


def _list_separator(language: str) -> str:
    return "، " if language == "ar" else ", "


@bp.get("/offices/<licence>")
def office(licence: str) -> Any:
    """One office: its details and its price for each nationality it recruits."""
    typed = sdk.normalize_digits(licence).strip().upper()[:32]
    found = office_by_licence(sdk.db_session(), typed)
    language = sdk.current_language()
    if found is None:
        return sdk.render_template(f"{SLUG}/office_not_found.html", licence=typed), 404
    prices = sorted(found.prices, key=lambda row: sdk.country_name(row.nationality))
    return sdk.render_template(
        f"{SLUG}/office_detail.html",
        office=found,
        prices=[(sdk.CountryName(row.nationality), format_sar(row.price, language)) for row in prices],
        city=CITIES.get(found.city, found.city),
        language=language,
        contract_form=CONTRACT_FORM,
    )


@bp.get("/contracts")
@sdk.login_required
def contract_requests() -> Any:
    """The person's contract requests with the office, the money, the state and the expected arrival."""
    person = sdk.current_person()
    assert person is not None  # login_required saw to it
    language = sdk.current_language()
    return sdk.render_template(
        f"{SLUG}/contract_list.html",
        contracts=contracts_of(person),
        is_late=complaints.is_late,
        language=language,
        sar=lambda amount: format_sar(amount, language),
        hijri=complaints.hijri,
        contract_form=CONTRACT_FORM,
        complaint_form=COMPLAINT_FORM,
        hotline=complaints.LABOUR_HOTLINE,
    )
