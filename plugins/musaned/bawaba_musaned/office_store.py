"""The recruitment offices Musaned lists, their prices by nationality, and the queries on them.

Offices are reference data the ministry licenses (name, city, licence number,
rating, how long they take to deliver a worker and what they charge for each
nationality). Contracts and complaints are applications in the host's store;
only the offices live here. Prices are kept per nationality because that is
how offices quote them and how a contract's value is worked out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

import bawaba_sdk as sdk

from .db import Base
from .i18n import _l

LICENCE_LENGTH = 16
NAME_LENGTH = 200
CITY_LENGTH = 32
SEARCH_LENGTH = 2 * NAME_LENGTH + 1
PAGE_SIZE = 20
"""Offices per page of the directory."""

CITIES: dict[str, sdk.LocalText] = {
    "riyadh": _l("Riyadh"),
    "jeddah": _l("Jeddah"),
    "makkah": _l("Makkah"),
    "madinah": _l("Madinah"),
    "dammam": _l("Dammam"),
    "khobar": _l("Al Khobar"),
    "taif": _l("Taif"),
    "abha": _l("Abha"),
    "buraidah": _l("Buraidah"),
    "hail": _l("Hail"),
    "tabuk": _l("Tabuk"),
}
"""The cities an office may be in (slug -> name), in the order the directory's filter lists them."""


class Office(Base):
    """A licensed recruitment office (the ``active`` flag hides a suspended one from new contracts)."""

    __tablename__ = "musaned_offices"
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
        CheckConstraint("average_delivery_days > 0", name="delivery_days_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_number: Mapped[str] = mapped_column(String(LICENCE_LENGTH), unique=True)
    name_ar: Mapped[str] = mapped_column(String(NAME_LENGTH))
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH))
    city: Mapped[str] = mapped_column(String(CITY_LENGTH), index=True)
    """A city slug from :data:`bawaba_musaned.offices.CITIES` (translated when shown)."""
    rating: Mapped[Decimal] = mapped_column(Numeric(2, 1))
    average_delivery_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    search_text: Mapped[str] = mapped_column(String(SEARCH_LENGTH))
    """Both names folded by :func:`search_key`, so a search ignores hamza, case and diacritics."""

    prices: Mapped[list[OfficePrice]] = relationship(
        back_populates="office", order_by="OfficePrice.nationality", cascade="all, delete-orphan"
    )

    def name(self, language: str) -> str:
        """The office's name in ``language`` (``ar`` or ``en``)."""
        return self.name_ar if language == "ar" else self.name_en

    def price_for(self, nationality: str) -> Decimal | None:
        """The price for a worker of ``nationality`` (ISO code), or ``None`` if the office does not recruit them."""
        code = nationality.upper()
        return next((row.price for row in self.prices if row.nationality == code), None)


class OfficePrice(Base):
    """One office's price, in SAR, for recruiting a worker of one nationality."""

    __tablename__ = "musaned_office_prices"
    __table_args__ = (
        UniqueConstraint("office_id", "nationality", name="uq_musaned_office_prices_office_nationality"),
        CheckConstraint("price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("musaned_offices.id", ondelete="CASCADE"), index=True)
    nationality: Mapped[str] = mapped_column(String(2), index=True)
    """ISO 3166-1 alpha-2 code (``PH``); the name is shown through ``sdk.CountryName``."""
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    office: Mapped[Office] = relationship(back_populates="prices")


# -- searching names -----------------------------------------------------------------------

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
"""Arabic diacritics (tashkeel), Quranic marks and the tatweel: people type names without them."""
_LETTER_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
"""Letters people write interchangeably (hamza on alef, alef maqsura, ta marbuta)."""


def search_key(text: str) -> str:
    """``text`` folded the way both the stored names and the typed search are, so they meet.

    Arabic-Indic digits become ASCII, presentation forms their base letters,
    diacritics and tatweel go, hamza/alef/ya/ta-marbuta variants become one
    letter, Latin letters are case-folded and runs of spaces become one.
    """
    folded = unicodedata.normalize("NFKC", sdk.normalize_digits(text))
    folded = _MARKS.sub("", folded).translate(_LETTER_VARIANTS).casefold()
    return " ".join(folded.split())


def office_search_text(name_ar: str, name_en: str) -> str:
    return f"{search_key(name_ar)}\n{search_key(name_en)}"[:SEARCH_LENGTH]


# -- reading -------------------------------------------------------------------------------


def office_by_licence(session: Session, licence: str) -> Office | None:
    """The office with licence number ``licence`` (active or not), with its prices."""
    return session.scalars(
        select(Office).where(Office.licence_number == licence).options(selectinload(Office.prices))
    ).one_or_none()


def offices_by_licence(session: Session, licences: Iterable[str]) -> dict[str, Office]:
    """Several offices at once, by licence number (unknown ones are simply absent)."""
    wanted = sorted(set(licences))
    if not wanted:
        return {}
    rows = session.scalars(
        select(Office).where(Office.licence_number.in_(wanted)).options(selectinload(Office.prices))
    ).all()
    return {office.licence_number: office for office in rows}


def active_offices_recruiting(session: Session, nationalities: Iterable[str]) -> list[Office]:
    """Active offices with a price for at least one of ``nationalities``, best rated first."""
    codes = sorted({code.upper() for code in nationalities})
    if not codes:
        return []
    recruiting = select(OfficePrice.office_id).where(OfficePrice.nationality.in_(codes))
    return list(
        session.scalars(
            select(Office)
            .where(Office.active.is_(True), Office.id.in_(recruiting))
            .options(selectinload(Office.prices))
            .order_by(Office.rating.desc(), Office.name_en)
        ).all()
    )


def offered_nationalities(session: Session) -> list[str]:
    """The nationalities at least one active office recruits (ISO codes, sorted)."""
    return list(
        session.scalars(
            select(OfficePrice.nationality)
            .join(Office, Office.id == OfficePrice.office_id)
            .where(Office.active.is_(True))
            .distinct()
            .order_by(OfficePrice.nationality)
        ).all()
    )


def offered_cities(session: Session) -> list[str]:
    """The cities that have at least one active office (slugs, sorted)."""
    return list(
        session.scalars(select(Office.city).where(Office.active.is_(True)).distinct().order_by(Office.city)).all()
    )


# -- the directory's search ----------------------------------------------------------------


@dataclass(frozen=True)
class OfficeFilters:
    """What the person asked the directory for, already checked."""

    query: str = ""
    city: str | None = None
    nationality: str | None = None
    min_rating: Decimal | None = None
    max_days: int | None = None
    sort: str = "rating"
    """``rating`` (best first), ``price`` (cheapest first for ``nationality``) or ``days`` (fastest first)."""
    page: int = 1


@dataclass(frozen=True)
class OfficePage:
    """One page of the directory's results."""

    offices: Sequence[Office]
    total: int
    page: int
    pages: int


SORTS = ("rating", "price", "days")


def search_offices(session: Session, filters: OfficeFilters, page_size: int = PAGE_SIZE) -> OfficePage:
    """The active offices matching ``filters``, sorted and cut to one page.

    Sorting by price needs a nationality (a price is always for one);
    callers check that before asking. Ties are broken by licence number so
    paging never shows an office twice or skips one.
    """
    statement = select(Office).where(Office.active.is_(True))
    key = search_key(filters.query)
    if key:
        statement = statement.where(Office.search_text.contains(key, autoescape=True))
    if filters.city:
        statement = statement.where(Office.city == filters.city)
    if filters.min_rating is not None:
        statement = statement.where(Office.rating >= filters.min_rating)
    if filters.max_days is not None:
        statement = statement.where(Office.average_delivery_days <= filters.max_days)
    if filters.nationality:
        statement = statement.join(
            OfficePrice, (OfficePrice.office_id == Office.id) & (OfficePrice.nationality == filters.nationality)
        )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // page_size))
    if filters.sort == "price" and filters.nationality:
        statement = statement.order_by(OfficePrice.price, Office.rating.desc())
    elif filters.sort == "days":
        statement = statement.order_by(Office.average_delivery_days, Office.rating.desc())
    else:
        statement = statement.order_by(Office.rating.desc(), Office.average_delivery_days)
    statement = statement.order_by(Office.licence_number)
    offices = session.scalars(
        statement.options(selectinload(Office.prices)).limit(page_size).offset((filters.page - 1) * page_size)
    ).all()
    return OfficePage(offices=offices, total=total, page=filters.page, pages=pages)


# -- writing -------------------------------------------------------------------------------


def add_office(
    session: Session,
    *,
    licence_number: str,
    name_ar: str,
    name_en: str,
    city: str,
    rating: Decimal,
    average_delivery_days: int,
    prices: dict[str, Decimal],
    active: bool = True,
) -> Office:
    """Add one office with its prices (the search text is derived here, so it never goes stale on insert)."""
    office = Office(
        licence_number=licence_number,
        name_ar=name_ar,
        name_en=name_en,
        city=city,
        rating=rating,
        average_delivery_days=average_delivery_days,
        active=active,
        search_text=office_search_text(name_ar, name_en),
        prices=[OfficePrice(nationality=code.upper(), price=price) for code, price in sorted(prices.items())],
    )
    session.add(office)
    return office
