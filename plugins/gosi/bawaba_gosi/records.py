"""A contributor's record as GOSI's systems hold it: registrations, wages, injuries, benefits.

The portal never owns these facts: they come, on every visit, from GOSI
through the records adapter (:mod:`bawaba_gosi.adapters`), as JSON of the
shape :func:`contributor_from_json` reads (the sandbox file and the HTTP
service speak the same). Wages are sent as periods of equal wage
(``{"from": "2001-01", "to": "2010-12", "wage": "5000.00"}``) and expanded here
into the contributory wage of each month, all employers together, so the
record, the contributions, the pension and SANED all count the same months.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import bawaba_sdk as sdk

from .rules import regime_of

HAZARDS_ONLY = "hazards"
"""Coverage of a worker who is not Saudi: occupational hazards only."""
ALL_BRANCHES = "annuities"
"""Coverage of a Saudi worker: annuities (pensions), occupational hazards and SANED."""


class RecordError(ValueError):
    """GOSI sent a record this portal cannot read (a wrong field, a date that is not one)."""


@dataclass(frozen=True, slots=True)
class WagePeriod:
    """Months ``first`` to ``last`` (first days of months) at the same monthly contributory wage."""

    first: date
    last: date
    wage: Decimal

    def months(self) -> Iterator[date]:
        month = self.first
        while month <= self.last:
            yield month
            month = _next_month(month)


@dataclass(frozen=True, slots=True)
class Registration:
    """One employment: the employer and its establishment, the dates, the occupation and the wages."""

    employer: str
    establishment_number: str
    start: date
    end: date | None
    """``None`` while the person still works there."""
    occupation: str
    wages: tuple[WagePeriod, ...]
    leaving_reason: str | None = None
    """Why it ended (``contract_ended``, ``resigned``, ``dismissed_for_fault``...), when it did."""


@dataclass(frozen=True, slots=True)
class InjuryCase:
    """An occupational injury GOSI has accepted, and where its treatment stands."""

    number: str
    occurred_on: date
    description: str
    status: str
    """``under_treatment`` or ``closed``."""
    daily_wage: Decimal
    hospital_days: int = 0


@dataclass(frozen=True, slots=True)
class Benefit:
    """A benefit GOSI pays the person now (a pension, SANED's allowance)."""

    kind: str
    monthly_amount: Decimal
    since: date


@dataclass(frozen=True, slots=True)
class Contributor:
    """Everything GOSI holds about one person that the portal shows or computes with."""

    id_number: str
    coverage: str
    registrations: tuple[Registration, ...]
    injuries: tuple[InjuryCase, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    job_seeker: bool = False

    @property
    def first_registration(self) -> date | None:
        return min((registration.start for registration in self.registrations), default=None)

    def regime(self, parameters: sdk.ParameterSet) -> str:
        """``old`` or ``new``, from the law in force on the day of the first registration."""
        first = self.first_registration
        return regime_of(first, parameters) if first is not None else regime_of(date.today(), parameters)

    @property
    def covered_for_annuities(self) -> bool:
        return self.coverage == ALL_BRANCHES

    def wages_by_month(self) -> dict[date, Decimal]:
        """Each month's wage, all employers together (before the contributory bounds), oldest first."""
        months: dict[date, Decimal] = {}
        for registration in self.registrations:
            for period in registration.wages:
                for month in period.months():
                    months[month] = months.get(month, Decimal(0)) + period.wage
        return dict(sorted(months.items()))

    def contribution_months(self) -> int:
        """Months with a contributory wage for annuities (none for hazards-only coverage)."""
        return len(self.wages_by_month()) if self.covered_for_annuities else 0

    def average_wage(self, months: int, lowest: Decimal, highest: Decimal) -> Decimal:
        """The average contributory wage of the last ``months`` months, each month within the bounds."""
        wages = list(self.wages_by_month().values())[-months:]
        if not wages:
            return Decimal("0.00")
        counted = (min(max(wage, lowest), highest) for wage in wages)
        return sdk.to_halala(sum(counted, Decimal(0)) / len(wages))

    @property
    def current_registrations(self) -> tuple[Registration, ...]:
        return tuple(registration for registration in self.registrations if registration.end is None)

    @property
    def last_registration(self) -> Registration | None:
        ended = [registration for registration in self.registrations if registration.end is not None]
        if self.current_registrations or not ended:
            return None
        return max(ended, key=lambda registration: registration.end or date.min)

    def injury(self, number: str) -> InjuryCase | None:
        return next((case for case in self.injuries if case.number == number), None)


# -- reading GOSI's JSON -----------------------------------------------------------------------


def contributor_from_json(data: Mapping[str, Any]) -> Contributor:
    """The record GOSI sent; :class:`RecordError` names the first field it cannot read."""
    try:
        return Contributor(
            id_number=_text(data, "id_number"),
            coverage=_choice(data, "coverage", (ALL_BRANCHES, HAZARDS_ONLY)),
            registrations=tuple(_registration(item) for item in data.get("registrations", ())),
            injuries=tuple(_injury(item) for item in data.get("injuries", ())),
            benefits=tuple(_benefit(item) for item in data.get("benefits", ())),
            job_seeker=bool(data.get("job_seeker", False)),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        if isinstance(exc, RecordError):
            raise
        raise RecordError(f"unreadable contributor record: {type(exc).__name__}: {exc}") from exc


def _registration(data: Mapping[str, Any]) -> Registration:
    return Registration(
        employer=_text(data, "employer"),
        establishment_number=_text(data, "establishment_number"),
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]) if data.get("end") else None,
        occupation=_text(data, "occupation"),
        wages=tuple(_wage_period(item) for item in data.get("wages", ())),
        leaving_reason=data.get("leaving_reason") or None,
    )


def _wage_period(data: Mapping[str, Any]) -> WagePeriod:
    first, last = _month(data["from"]), _month(data["to"])
    if last < first:
        raise RecordError(f"wage period {data['from']}..{data['to']} ends before it starts")
    return WagePeriod(first, last, _amount(data["wage"]))


def _injury(data: Mapping[str, Any]) -> InjuryCase:
    return InjuryCase(
        number=_text(data, "number"),
        occurred_on=date.fromisoformat(data["occurred_on"]),
        description=_text(data, "description"),
        status=_choice(data, "status", ("under_treatment", "closed")),
        daily_wage=_amount(data["daily_wage"]),
        hospital_days=int(data.get("hospital_days", 0)),
    )


def _benefit(data: Mapping[str, Any]) -> Benefit:
    return Benefit(
        kind=_choice(data, "kind", ("pension", "saned", "injury_allowance")),
        monthly_amount=_amount(data["monthly_amount"]),
        since=date.fromisoformat(data["since"]),
    )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{key!r} must be non-empty text")
    return value.strip()


def _choice(data: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = data[key]
    if value not in allowed:
        raise RecordError(f"{key!r} must be one of {', '.join(allowed)}")
    return str(value)


def _amount(value: Any) -> Decimal:
    amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0:
        raise RecordError(f"{value!r} is not an amount")
    return sdk.to_halala(amount)


def _month(text: str) -> date:
    year, month = str(text).split("-")
    return date(int(year), int(month), 1)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)
