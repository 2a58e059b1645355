"""What the portal works out from a contributor's record: the situations its calculations take.

The record is GOSI's (:mod:`bawaba_gosi.records`); the calculations are the
ones the public API serves (:mod:`bawaba_gosi.calculations`); this module
only turns one into the other, with the dated parameters in force, so a
contributor's own estimate and an anonymous API call can never disagree.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk

from .calculations import EARLY, NORMAL
from .records import Contributor
from .rules import NEW

SLUG = "gosi"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def summary(contributor: Contributor, on: date) -> dict[str, Any]:
    """Regime, months counted and the averages the pension and SANED use, as of ``on``."""
    parameters = sdk.plugin_parameters(SLUG)
    regime = contributor.regime(parameters)
    values = parameters.at(on)
    lowest, highest = values["wage.minimum"].decimal, values["wage.maximum"].decimal
    pension_window = int(values[f"pension.{regime}.average_months"].value)
    saned_window = int(values["saned.average_months"].value)
    return {
        "regime": regime,
        "months": contributor.contribution_months(),
        "pension_average": contributor.average_wage(pension_window, lowest, highest),
        "saned_average": contributor.average_wage(saned_window, lowest, highest),
    }


def pension_situation(contributor: Contributor, birth_date: date, on: date) -> dict[str, Any]:
    """The pension calculation's situation for this person: early when not yet of age and allowed to try."""
    facts = summary(contributor, on)
    age = age_on(birth_date, on)
    values = sdk.plugin_parameters(SLUG).at(on)
    normal_age = int(values[f"retirement.{facts['regime']}.age"].value)
    kind = NORMAL if age >= normal_age else EARLY
    situation: dict[str, Any] = {
        "on": on,
        "regime": facts["regime"],
        "contribution_months": facts["months"],
        "average_monthly_wage": facts["pension_average"],
        "retirement": kind,
        "age": age,
        "left_work": not contributor.current_registrations,
    }
    if facts["regime"] == NEW:
        situation["left_work"] = None
    return situation


def saned_situation(contributor: Contributor, birth_date: date, on: date) -> dict[str, Any]:
    """SANED's situation for this person: every condition the record can answer."""
    facts = summary(contributor, on)
    last = contributor.last_registration
    return {
        "on": on,
        "average_monthly_wage": facts["saned_average"],
        "saudi": contributor.covered_for_annuities,
        "age": age_on(birth_date, on),
        "contribution_months": facts["months"],
        "leaving_reason": last.leaving_reason if last is not None else None,
        "job_seeker": contributor.job_seeker,
        "left_on": last.end if last is not None else None,
    }


def contributions_by_month(contributor: Contributor, months: int) -> list[dict[str, Any]]:
    """The last ``months`` months: wage, and what the worker and the employer paid at the rates then in force."""
    from .calculations import contributions

    parameters = sdk.plugin_parameters(SLUG)
    regime = contributor.regime(parameters)
    rows = []
    for month, wage in list(contributor.wages_by_month().items())[-months:]:
        situation = {"on": month, "wage": wage, "regime": regime, "saudi": contributor.covered_for_annuities}
        worker = contributions({**situation, "payer": "worker"}, parameters)
        employer = contributions({**situation, "payer": "employer"}, parameters)
        rows.append({"month": month, "wage": wage, "worker": worker, "employer": employer})
    return rows


def total(rows: list[dict[str, Any]], key: str) -> Decimal:
    return sum((row[key].amount for row in rows), Decimal(0))
