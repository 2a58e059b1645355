"""The monthly entitlement of a household, worked out rule by rule and explained line by line.

The rules (issue 12's table, each figure a dated parameter with its source):

- the household is the head and the members living in the same dwelling;
  members elsewhere form other households and are not counted;
- the head must be Saudi, or a wife, widow or divorcee of a Saudi with Saudi
  children, or a child of a Saudi widow or divorcee by a father who is not
  Saudi, or hold a valid mobility card; another member who is none of these
  is not counted;
- the head must be at least ``independent.min_age``, must not have spent
  more than ``abroad.max_months`` months abroad in the last 12 (another
  member who did is not counted), and the household must not live in a
  state care centre;
- wealth counts (real estate other than the main home, vehicles other than
  ``wealth.exempt_vehicles`` of them, securities) up to ``wealth.maximum``;
- members able to work, aged ``obligations.min_age`` to ``obligations.max_age``,
  must be registered on the jobs platform and may refuse at most
  ``obligations.max_refused_offers`` suitable offers;
- the monthly amount is the calculated minimum (``minimum.head`` plus
  ``minimum.member`` for each other counted member) less the counted monthly
  income (earned income less the share ``income.earned_disregard``, other
  income in full, yearly income as a twelfth), never below zero, capped at
  ``maximum.household``, to the halala, rounded half up. An amount of zero
  means not eligible, and the conditions say why with the figures.

Every label is an English msgid of the programme's domain (``sdk.N_``), kept
as data in the explanation and translated when it is shown, in either
language, whenever that is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk import N_

from .situation import (
    EARNED_KINDS,
    HEAD,
    MOBILITY_CARD,
    NON_SAUDI,
    REAL_ESTATE,
    SAUDI,
    SAUDI_HUSBAND,
    SAUDI_MOTHER,
    SECURITIES,
    VEHICLE,
    YEAR,
)

NAME = "entitlement"
ZERO = Decimal(0)
TWELVE = Decimal(12)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day`` (someone born on 29 February ages on 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def qualifies_by_nationality(member: Mapping[str, Any]) -> bool:
    """Saudi, a mobility-card holder, or linked to a Saudi family as the rules list."""
    nationality = member.get("nationality", SAUDI)
    if nationality in (SAUDI, MOBILITY_CARD):
        return True
    return nationality == NON_SAUDI and member.get("qualifies_through") in (SAUDI_HUSBAND, SAUDI_MOTHER)


def entitlement(situation: Mapping[str, Any], parameters: sdk.ParameterSet | sdk.ParametersOn) -> sdk.Explanation:
    """The household's monthly amount on ``situation["on"]``, with every condition and every line."""
    on: date = situation["on"]
    ex = sdk.Explainer(NAME, on, parameters)
    members: Sequence[Mapping[str, Any]] = situation["members"]
    head_index = next(index for index, member in enumerate(members) if member["relationship"] == HEAD)
    head = members[head_index]
    counted = _counted_members(ex, members, head_index)

    _head_conditions(ex, head, on, bool(situation.get("care_centre")))
    _wealth_condition(ex, situation.get("wealth") or ())
    _obligation_conditions(ex, [members[index] for index in counted], on)

    minimum = ex.add(N_("Calculated minimum for the head of household"), "minimum.head")
    others = len(counted) - 1
    if others:
        minimum += ex.add(
            N_("Calculated minimum for the other members (%(count)s)"),
            "minimum.member",
            quantity=others,
            count=others,
        )
    income = _subtract_income(ex, situation.get("incomes") or (), set(counted))
    ex.condition(
        "need",
        N_("The household's counted income is below its calculated minimum"),
        income < minimum,
        N_("Counted income %(income)s a month; calculated minimum %(minimum)s a month."),
        income=income,
        minimum=minimum,
    )
    ex.floor(N_("Never below zero"), ZERO)
    ex.cap(N_("Highest monthly amount for one household"), "maximum.household")
    return ex.result(N_("Monthly amount"))


def _counted_members(ex: sdk.Explainer, members: Sequence[Mapping[str, Any]], head_index: int) -> list[int]:
    """The positions of the members the household counts (the head first), noting who is left out and why."""
    limit = int(ex.parameter("abroad.max_months").value)
    elsewhere = not_qualified = abroad = 0
    counted = [head_index]
    for index, member in enumerate(members):
        if index == head_index:
            continue
        if not member.get("same_dwelling", True):
            elsewhere += 1
        elif not qualifies_by_nationality(member):
            not_qualified += 1
        elif int(member.get("months_abroad", 0)) > limit:
            abroad += 1
        else:
            counted.append(index)
    if elsewhere:
        ex.note(N_("Members living in another dwelling, who form other households: %(count)s"), count=elsewhere)
    if not_qualified:
        ex.note(
            N_("Members not counted because they are not Saudi and not linked to a Saudi family: %(count)s"),
            count=not_qualified,
        )
    if abroad:
        ex.note(
            N_("Members not counted because they spent more than %(limit)s months abroad: %(count)s"),
            "abroad.max_months",
            count=abroad,
            limit=limit,
        )
    return counted


def _head_conditions(ex: sdk.Explainer, head: Mapping[str, Any], on: date, care_centre: bool) -> None:
    ex.condition(
        "nationality",
        N_("The head of household is Saudi or qualifies as the rules allow"),
        qualifies_by_nationality(head),
        N_(
            "Saudis, holders of a valid mobility card, a wife, widow or divorcee of a Saudi with Saudi children, "
            "and children of a Saudi widow or divorcee by a father who is not Saudi."
        ),
    )
    minimum_age = int(ex.parameter("independent.min_age").value)
    born: date | None = head.get("birth_date")
    if born is not None:
        age = age_on(born, on)
        ex.condition(
            "age",
            N_("The head of household is at least %(limit)s years old"),
            age >= minimum_age,
            N_("Age on the day of the assessment: %(age)s."),
            parameter="independent.min_age",
            age=age,
            limit=minimum_age,
        )
    months = int(head.get("months_abroad", 0))
    limit = int(ex.parameter("abroad.max_months").value)
    ex.condition(
        "abroad",
        N_("The head of household spent at most %(limit)s months abroad in the last 12"),
        months <= limit,
        N_("Months abroad in the last 12: %(months)s."),
        parameter="abroad.max_months",
        months=months,
        limit=limit,
    )
    ex.condition(
        "care_centre",
        N_("The household does not live in a state care centre"),
        not care_centre,
        N_("People living in a state care centre are supported by the centre.") if care_centre else "",
    )


def _wealth_condition(ex: sdk.Explainer, wealth: Sequence[Mapping[str, Any]]) -> None:
    """Counted wealth against the limit: the main home and the most valuable exempt vehicles are left out."""
    exempt_vehicles = int(ex.parameter("wealth.exempt_vehicles").value)
    vehicles = sorted((Decimal(item["value"]) for item in wealth if item["kind"] == VEHICLE), reverse=True)
    counted = sum(vehicles[exempt_vehicles:], ZERO)
    counted += sum(
        (Decimal(item["value"]) for item in wealth if item["kind"] == REAL_ESTATE and not item.get("main_home")), ZERO
    )
    counted += sum((Decimal(item["value"]) for item in wealth if item["kind"] == SECURITIES), ZERO)
    limit = ex.parameter("wealth.maximum").decimal
    ex.condition(
        "wealth",
        N_("The household's counted wealth is at most %(limit)s"),
        counted <= limit,
        N_("Counted wealth: %(wealth)s (not counted: the main home and vehicles up to %(vehicles)s)."),
        parameter="wealth.maximum",
        limit=limit,
        wealth=sdk.to_halala(counted),
        vehicles=exempt_vehicles,
    )


def _obligation_conditions(ex: sdk.Explainer, members: Sequence[Mapping[str, Any]], on: date) -> None:
    """Members able to work and of working age must be registered and may refuse only so many offers."""
    youngest = int(ex.parameter("obligations.min_age").value)
    oldest = int(ex.parameter("obligations.max_age").value)
    bound = [member for member in members if member.get("able_to_work") and _working_age(member, on, youngest, oldest)]
    if not bound:
        return
    unregistered = sum(1 for member in bound if not member.get("registered_for_work"))
    ex.condition(
        "registered_for_work",
        N_("Members able to work aged %(youngest)s to %(oldest)s are registered on the national jobs platform"),
        unregistered == 0,
        N_("Members who must seek work and are not registered: %(count)s of %(total)s.") if unregistered else "",
        youngest=youngest,
        oldest=oldest,
        count=unregistered,
        total=len(bound),
    )
    allowed = int(ex.parameter("obligations.max_refused_offers").value)
    refused = max(int(member.get("refused_offers", 0)) for member in bound)
    ex.condition(
        "offers",
        N_("No member refused more than %(limit)s suitable job or training offers"),
        refused <= allowed,
        N_("Most suitable offers refused by one member: %(refused)s."),
        parameter="obligations.max_refused_offers",
        limit=allowed,
        refused=refused,
    )


def _working_age(member: Mapping[str, Any], on: date, youngest: int, oldest: int) -> bool:
    born: date | None = member.get("birth_date")
    if born is None:  # an adult whose age was not given is taken to be of working age
        return member.get("relationship") != "child"
    return youngest <= age_on(born, on) <= oldest


def _subtract_income(ex: sdk.Explainer, incomes: Sequence[Mapping[str, Any]], counted: set[int]) -> Decimal:
    """Take the counted members' monthly income away, by kind, and return what was counted."""
    earned = other = yearly = ZERO
    for income in incomes:
        if income.get("member", 0) not in counted:
            continue
        amount = Decimal(income["amount"])
        if income.get("period") == YEAR:
            yearly += amount
        elif income["kind"] in EARNED_KINDS:
            earned += amount
        else:
            other += amount
    total = ZERO
    if earned:
        disregard = ex.parameter("income.earned_disregard")
        if disregard.decimal:
            ex.note(N_("Share of earned income not counted"), "income.earned_disregard")
        total += ex.subtract(
            N_("Earned income counted (salaries and commercial income of %(earned)s a month)"),
            sdk.to_halala(earned * (1 - disregard.rate)),
            earned=earned,
        )
    if other:
        total += ex.subtract(N_("Other monthly income (pensions and other income)"), other)
    if yearly:
        total += ex.subtract(
            N_("Yearly income (government support, property returns): a twelfth of %(yearly)s"),
            sdk.to_halala(yearly / TWELVE),
            yearly=yearly,
        )
    return total
