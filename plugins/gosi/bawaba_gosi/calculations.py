"""GOSI's explained calculations: the pension, SANED's allowance, the monthly contributions.

Each is a :class:`sdk.Calculation` (registered through
``gateway_register_calculations``, served by the host at
``POST /api/v1/programs/gosi/calculations/<name>``) and is also what the
plugin's pages show a contributor: the same function, the same dated
parameters, so the public API and the person's own estimate can never
disagree. Every figure comes from ``parameters/parameters.toml``; the code
holds the formulas only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import SarAmountField, Schema, field, fields, validate

from .i18n import _l
from .rules import NEW, OLD

N_ = sdk.N_
NORMAL, EARLY = "normal", "early"
MAX_MONTHS = 720
"""More contribution months than sixty years is a typing mistake, not a career."""
MAX_WAGE = Decimal("10000000")
"""A wage above this a month is a typing mistake; the contributory cap is applied by the rules."""

REGIMES = [OLD, NEW]
RETIREMENTS = [NORMAL, EARLY]
LEAVING_REASONS = ["contract_ended", "dismissed", "dismissed_for_fault", "resigned", "establishment_closed"]
"""Why a contributor left their last job (SANED pays none for a fault or a resignation)."""
NOT_COVERED_REASONS = frozenset({"dismissed_for_fault", "resigned"})


def _today() -> date:
    return date.today()


class PensionSituation(Schema):
    """A career as the pension needs it: regime, months counted, the average wage, optionally age."""

    on = fields.Date(load_default=_today, metadata=field(label=_l("Day")))
    regime = fields.String(
        required=True,
        validate=validate.OneOf(REGIMES),
        metadata=field(label=_l("Regime"), widget="select", choices=[(OLD, _l("Old law")), (NEW, _l("New law"))]),
    )
    contribution_months = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=MAX_MONTHS),
        metadata=field(label=_l("Contribution months")),
    )
    average_monthly_wage = SarAmountField(
        required=True, maximum=MAX_WAGE, metadata=field(label=_l("Average monthly wage"))
    )
    retirement = fields.String(
        load_default=NORMAL,
        validate=validate.OneOf(RETIREMENTS),
        metadata=field(label=_l("Kind of pension")),
    )
    age = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=15, max=120),
        metadata=field(label=_l("Age")),
    )
    left_work = fields.Boolean(load_default=None, allow_none=True, metadata=field(label=_l("Has left work")))


def pension(situation: Mapping[str, Any], parameters: sdk.ParameterSet) -> sdk.Explanation:
    """The monthly pension: accrual × average wage × years, capped at the average, floored at the minimum."""
    regime, months = situation["regime"], situation["contribution_months"]
    ex = sdk.Explainer("pension", situation["on"], parameters)
    if regime == NEW:
        ex.note(N_("Under the new Social Insurance Law (first registered on or after 3 July 2024)"), "regime.new_law")
    else:
        ex.note(N_("Under the old Social Insurance Law"))
    _pension_conditions(ex, situation)

    wage = situation["average_monthly_wage"]
    highest = ex.parameter("wage.maximum").decimal
    if wage > highest:
        ex.note(
            N_("The average wage counts up to the highest contributory wage, %(highest)s"),
            "wage.maximum",
            highest=highest,
        )
        wage = highest
    window = ex.parameter(f"pension.{regime}.average_months").value
    ex.note(
        N_("Average monthly wage of the last %(window)s months: %(wage)s"),
        f"pension.{regime}.average_months",
        window=window,
        wage=wage,
    )
    years = Decimal(months) / 12
    ex.note(
        N_("Years of contribution: %(months)s months ÷ 12 = %(years)s"),
        months=months,
        years=years.quantize(Decimal("0.01")),
    )
    accrual = ex.parameter(f"pension.{regime}.accrual")
    ex.note(
        N_("Each year of contribution earns %(rate)s%% of the average wage"),
        f"pension.{regime}.accrual",
        rate=accrual.decimal,
    )
    ex.add(
        N_("%(rate)s%% of %(wage)s for each of %(years)s years"),
        sdk.to_halala(wage * accrual.rate * years),
        rate=accrual.decimal,
        wage=wage,
        years=years.quantize(Decimal("0.01")),
    )
    share = ex.parameter("pension.maximum_share")
    ex.note(N_("A pension is at most %(share)s%% of the average wage"), "pension.maximum_share", share=share.decimal)
    ex.cap(N_("Highest pension for this wage"), sdk.to_halala(wage * share.rate))
    ex.floor(N_("Lowest monthly pension"), "pension.minimum")
    return ex.result(N_("Monthly pension"))


def _pension_conditions(ex: sdk.Explainer, situation: Mapping[str, Any]) -> None:
    regime, months, age = situation["regime"], situation["contribution_months"], situation["age"]
    if situation["retirement"] == NORMAL:
        least = ex.parameter("retirement.minimum_months").value
        ex.condition(
            "months",
            N_("At least %(least)s contribution months"),
            months >= least,
            N_("%(months)s months are counted."),
            parameter="retirement.minimum_months",
            least=least,
            months=months,
        )
        if age is not None:
            key = f"retirement.{regime}.age"
            limit = ex.parameter(key).value
            ex.condition(
                "age",
                N_("Has reached the retirement age of %(limit)s"),
                age >= limit,
                N_("Age %(age)s."),
                parameter=key,
                limit=limit,
                age=age,
            )
        return
    key = f"early.{regime}.months"
    least = ex.parameter(key).value
    ex.condition(
        "months",
        N_("At least %(least)s contribution months for an early pension"),
        months >= least,
        N_("%(months)s months are counted."),
        parameter=key,
        least=least,
        months=months,
    )
    if regime == OLD and situation["left_work"] is not None:
        ex.condition(
            "left_work",
            N_("Has left work"),
            bool(situation["left_work"]),
            N_("An early pension under the old law is paid only after leaving work."),
        )
    if regime == NEW and age is not None:
        limit = ex.parameter("early.new.age").value
        ex.condition(
            "age",
            N_("Is at least %(limit)s years old"),
            age >= limit,
            N_("Age %(age)s."),
            parameter="early.new.age",
            limit=limit,
            age=age,
        )


class SanedSituation(Schema):
    """What SANED's allowance needs (the wage) and, optionally, what its eligibility tests."""

    on = fields.Date(load_default=_today, metadata=field(label=_l("Day")))
    average_monthly_wage = SarAmountField(
        required=True, maximum=MAX_WAGE, metadata=field(label=_l("Average monthly wage"))
    )
    saudi = fields.Boolean(load_default=None, allow_none=True, metadata=field(label=_l("Saudi")))
    age = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=15, max=120),
        metadata=field(label=_l("Age")),
    )
    contribution_months = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=MAX_MONTHS),
        metadata=field(label=_l("Contribution months")),
    )
    leaving_reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(LEAVING_REASONS),
        metadata=field(label=_l("Why the last job ended")),
    )
    job_seeker = fields.Boolean(
        load_default=None, allow_none=True, metadata=field(label=_l("Registered as a job seeker"))
    )
    left_on = fields.Date(load_default=None, allow_none=True, metadata=field(label=_l("Day the last job ended")))


def saned(situation: Mapping[str, Any], parameters: sdk.ParameterSet) -> sdk.Explanation:
    """SANED's allowance month by month: a higher rate for the first months, a lower one after, each capped."""
    on = situation["on"]
    ex = sdk.Explainer("saned", on, parameters)
    _saned_conditions(ex, situation)
    wage = situation["average_monthly_wage"]
    window = ex.parameter("saned.average_months").value
    ex.note(
        N_("Average monthly wage of the last %(window)s months: %(wage)s"),
        "saned.average_months",
        window=window,
        wage=wage,
    )
    first_months = int(ex.parameter("saned.first.months").value)
    all_months = int(ex.parameter("saned.max_months").value)
    first = _phase(ex, wage, "saned.first", 1, first_months)
    later = _phase(ex, wage, "saned.later", first_months + 1, all_months)
    ex.breakdown.extend(
        {"month": month, "amount": str(first if month <= first_months else later)} for month in range(1, all_months + 1)
    )
    return ex.result(N_("Total over %(count)s months"), count=all_months)


def _phase(ex: sdk.Explainer, wage: Decimal, key: str, start: int, end: int) -> Decimal:
    """One phase of the allowance: the rate's line, its cap's line, and the months it is paid."""
    rate = ex.parameter(f"{key}.rate")
    cap = ex.parameter(f"{key}.cap").decimal
    monthly = sdk.to_halala(wage * rate.rate)
    ex.note(
        N_("Months %(start)s to %(end)s: %(rate)s%% of %(wage)s is %(amount)s"),
        f"{key}.rate",
        start=start,
        end=end,
        rate=rate.decimal,
        wage=wage,
        amount=monthly,
    )
    if monthly > cap:
        ex.note(
            N_("Months %(start)s to %(end)s are paid at most %(cap)s a month"),
            f"{key}.cap",
            start=start,
            end=end,
            cap=cap,
        )
        monthly = sdk.to_halala(cap)
    count = end - start + 1
    ex.add(N_("%(amount)s a month for %(count)s months"), monthly, quantity=count, amount=monthly, count=count)
    return monthly


def _saned_conditions(ex: sdk.Explainer, situation: Mapping[str, Any]) -> None:
    """The eligibility rules the situation says something about (a bare wage is an estimate only)."""
    if situation["saudi"] is not None:
        ex.condition("saudi", N_("Is Saudi"), bool(situation["saudi"]), N_("SANED covers Saudi workers."))
    if situation["age"] is not None:
        limit = ex.parameter("saned.max_age").value
        ex.condition(
            "age",
            N_("Is younger than %(limit)s"),
            situation["age"] < limit,
            N_("Age %(age)s."),
            parameter="saned.max_age",
            limit=limit,
            age=situation["age"],
        )
    if situation["contribution_months"] is not None:
        least = ex.parameter("saned.minimum_months").value
        ex.condition(
            "months",
            N_("At least %(least)s contribution months"),
            situation["contribution_months"] >= least,
            N_("%(months)s months are counted."),
            parameter="saned.minimum_months",
            least=least,
            months=situation["contribution_months"],
        )
    if situation["leaving_reason"] is not None:
        ex.condition(
            "reason",
            N_("Did not leave by resigning and was not dismissed for a fault"),
            situation["leaving_reason"] not in NOT_COVERED_REASONS,
            N_("SANED does not pay after a resignation or a dismissal for a fault."),
        )
    if situation["job_seeker"] is not None:
        ex.condition(
            "job_seeker",
            N_("Is registered as a job seeker"),
            bool(situation["job_seeker"]),
            N_("Register as a job seeker before applying."),
        )
    if situation["left_on"] is not None:
        limit = ex.parameter("saned.apply_within_days").value
        days = (ex.on - situation["left_on"]).days
        ex.condition(
            "within_days",
            N_("Applies within %(limit)s days of leaving work"),
            0 <= days <= limit,
            N_("%(days)s days since the last day of work."),
            parameter="saned.apply_within_days",
            limit=limit,
            days=days,
        )


def saned_answer(explanation: sdk.Explanation) -> Mapping[str, Any]:
    """The API's extra keys: the allowance month by month and its total."""
    return {"months": [dict(row) for row in explanation.breakdown], "total": str(explanation.amount)}


class ContributionSituation(Schema):
    """A month's wage and what decides the rates: regime and nationality."""

    on = fields.Date(load_default=_today, metadata=field(label=_l("Month")))
    wage = SarAmountField(required=True, maximum=MAX_WAGE, metadata=field(label=_l("Monthly wage")))
    regime = fields.String(load_default=OLD, validate=validate.OneOf(REGIMES), metadata=field(label=_l("Regime")))
    saudi = fields.Boolean(load_default=True, metadata=field(label=_l("Saudi")))
    payer = fields.String(
        load_default="worker", validate=validate.OneOf(["worker", "employer"]), metadata=field(label=_l("Who pays"))
    )


def contributions(situation: Mapping[str, Any], parameters: sdk.ParameterSet) -> sdk.Explanation:
    """What the worker (or the employer) pays for a month: the wage bounded, times each rate in force.

    A worker who is not Saudi is covered for occupational hazards only, which
    the employer alone pays.
    """
    payer, regime = situation["payer"], situation["regime"]
    ex = sdk.Explainer(f"contributions_{payer}", situation["on"], parameters)
    wage = contributory_wage(ex, situation["wage"])
    if situation["saudi"]:
        ex.multiply(N_("Annuities: %(wage)s × the rate"), wage, f"annuities.{regime}.{payer}", wage=wage)
        ex.multiply(N_("SANED: %(wage)s × the rate"), wage, f"saned.{payer}", wage=wage)
    else:
        ex.note(N_("A worker who is not Saudi is covered for occupational hazards only"))
    if payer == "employer":
        ex.multiply(N_("Occupational hazards: %(wage)s × the rate"), wage, "hazards.employer", wage=wage)
    return ex.result(N_("Paid for the month"))


def contributory_wage(ex: sdk.Explainer, wage: Decimal) -> Decimal:
    """The wage bounded by the lowest and highest contributory wage, with a line when a bound applies."""
    lowest = ex.parameter("wage.minimum").decimal
    highest = ex.parameter("wage.maximum").decimal
    if wage < lowest:
        ex.note(N_("The wage counts as the lowest contributory wage, %(lowest)s"), "wage.minimum", lowest=lowest)
        return lowest
    if wage > highest:
        ex.note(N_("The wage counts up to the highest contributory wage, %(highest)s"), "wage.maximum", highest=highest)
        return highest
    return wage


CALCULATIONS = (
    sdk.Calculation(
        name="pension",
        title=_l("Monthly pension"),
        summary=_l("A contributor's monthly pension from their months and average wage, line by line."),
        situation=PensionSituation,
        compute=pension,
        example={"on": "2026-12-01", "regime": "old", "contribution_months": 300, "average_monthly_wage": "10000.00"},
    ),
    sdk.Calculation(
        name="saned",
        title=_l("SANED unemployment allowance"),
        summary=_l("The unemployment allowance month by month, from the average wage of the last 24 months."),
        situation=SanedSituation,
        compute=saned,
        example={"on": "2026-12-01", "average_monthly_wage": "8000.00"},
        answer=saned_answer,
    ),
    sdk.Calculation(
        name="contributions",
        title=_l("Monthly contributions"),
        summary=_l("What the worker or the employer pays each month at the rates in force."),
        situation=ContributionSituation,
        compute=contributions,
        example={"on": "2026-12-01", "wage": "10000.00", "regime": "old", "saudi": True, "payer": "worker"},
    ),
)
