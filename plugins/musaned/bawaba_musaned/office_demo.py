"""Fictional recruitment offices for demonstrations and tests (``gateway demo load``).

Every office here is invented: the names are made up, the licence numbers
(``ML-1001`` ...) belong to no real office, and the prices, ratings and
delivery times are plausible figures, not market data. A migration never
loads them, so a real portal's directory holds only offices an operator adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .office_store import Office, add_office


@dataclass(frozen=True)
class DemoOffice:
    licence_number: str
    name_ar: str
    name_en: str
    city: str
    rating: str
    days: int
    prices: dict[str, int] = field(default_factory=dict)
    active: bool = True


DEMO_OFFICES: tuple[DemoOffice, ...] = (
    DemoOffice(
        "ML-1001",
        "مكتب سعف النخيل للاستقدام",
        "Palm Frond Recruitment Office",
        "riyadh",
        "4.7",
        45,
        {"PH": 15500, "NP": 14800, "LK": 13900, "KE": 11000},
    ),
    DemoOffice(
        "ML-1002",
        "مكتب جسر الصقر للاستقدام",
        "Falcon Bridge Recruitment",
        "riyadh",
        "4.2",
        60,
        {"PH": 14200, "IN": 12500, "BD": 11800, "NP": 12100},
    ),
    DemoOffice(
        "ML-1003",
        "مكتب مرفأ الهلال للاستقدام",
        "Crescent Harbour Recruitment",
        "jeddah",
        "4.9",
        40,
        {"PH": 16900, "IN": 15900, "LK": 14500, "UG": 10500, "KE": 11200},
    ),
    DemoOffice(
        "ML-1004",
        "مكتب كثبان العنبر للاستقدام",
        "Amber Dunes Recruitment",
        "jeddah",
        "3.6",
        75,
        {"PH": 13100, "ET": 9800, "KE": 10200},
    ),
    DemoOffice(
        "ML-1005",
        "مكتب نجمة السافانا للاستقدام",
        "Savanna Star Recruitment",
        "dammam",
        "4.0",
        50,
        {"KE": 10400, "UG": 9900, "ET": 9500},
    ),
    DemoOffice(
        "ML-1006",
        "مكتب اللؤلؤة الزرقاء للاستقدام",
        "Blue Pearl Recruitment",
        "dammam",
        "4.4",
        55,
        {"PH": 14900, "BD": 14100, "IN": 12900, "LK": 13600},
    ),
    DemoOffice(
        "ML-1007",
        "مكتب بوابة الحرم للاستقدام",
        "Haram Gate Recruitment",
        "makkah",
        "3.9",
        65,
        {"NP": 13800, "BD": 11500, "PK": 11900},
    ),
    DemoOffice(
        "ML-1008",
        "مكتب واحة النور للاستقدام",
        "Light Oasis Recruitment",
        "madinah",
        "4.5",
        48,
        {"PH": 15200, "PK": 14600, "BD": 11600, "IN": 12400},
    ),
    DemoOffice(
        "ML-1009",
        "مكتب ضباب السودة للاستقدام",
        "Soudah Mist Recruitment",
        "abha",
        "3.2",
        90,
        {"PH": 12900, "ET": 9300, "UG": 9600},
    ),
    DemoOffice(
        "ML-1010",
        "مكتب سنابل القصيم للاستقدام",
        "Qassim Wheat Recruitment",
        "buraidah",
        "4.1",
        58,
        {"PH": 14000, "IN": 12200, "LK": 13200, "NP": 11900},
    ),
    DemoOffice(
        "ML-1011",
        "مكتب أفق الشمال للاستقدام",
        "Northern Horizon Recruitment",
        "tabuk",
        "2.8",
        100,
        {"PH": 12500, "BD": 10900},
    ),
    DemoOffice(
        "ML-1012",
        "مكتب شراع الخليج للاستقدام",
        "Gulf Sail Recruitment",
        "khobar",
        "4.8",
        42,
        {"PH": 16500, "NP": 15400, "LK": 14200, "IN": 13300, "KE": 11400},
    ),
    DemoOffice(
        "ML-1013",
        "مكتب جبال أجا للاستقدام",
        "Aja Mountains Recruitment",
        "hail",
        "3.7",
        70,
        {"BD": 13500, "PK": 11700, "NP": 11800},
    ),
    DemoOffice(
        "ML-1014",
        "مكتب نخلة العاصمة للاستقدام",
        "Capital Palm Recruitment",
        "riyadh",
        "3.4",
        80,
        {"PH": 13400, "ET": 9700, "UG": 9800, "KE": 10100},
    ),
    DemoOffice(
        "ML-1015",
        "مكتب مدينة الورد للاستقدام",
        "Rose City Recruitment",
        "taif",
        "4.3",
        52,
        {"PH": 14700, "IN": 14300, "LK": 13400},
    ),
    DemoOffice(
        "ML-1016",
        "مكتب قافلة الرمال للاستقدام",
        "Sand Caravan Recruitment",
        "riyadh",
        "2.5",
        120,
        {"PH": 11900, "BD": 10500},
        active=False,
    ),
)
"""Sixteen fictional offices in eleven cities; ``ML-1016``'s licence is suspended (inactive)."""


def load_offices(session: Session) -> list[str]:
    """Add the demo offices missing from the directory (matched by licence number); never duplicate or overwrite."""
    existing = set(session.scalars(select(Office.licence_number)).all())
    added = 0
    for demo in DEMO_OFFICES:
        if demo.licence_number in existing:
            continue
        add_office(
            session,
            licence_number=demo.licence_number,
            name_ar=demo.name_ar,
            name_en=demo.name_en,
            city=demo.city,
            rating=Decimal(demo.rating),
            average_delivery_days=demo.days,
            prices={code: Decimal(price) for code, price in demo.prices.items()},
            active=demo.active,
        )
        added += 1
    session.flush()
    if added:
        return [f"recruitment offices: {added} fictional offices added"]
    return ["recruitment offices: all demo offices already present"]
