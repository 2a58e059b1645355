"""A household's unified profile turned into the situation the entitlement takes.

The profile is the household's standing record: eight sections, each a
mapping of answers, JSON-safe (dates and amounts as text), members named by
their ID numbers. The rules only need part of it (who lives in the dwelling,
their relationship, birth date, nationality, time abroad and job-seeking,
the incomes, the wealth, a state care centre), so the assessment of a
confirmed profile, the sandbox households and the monthly cycle all run the
same calculation as the public estimate and the API, through
:func:`situation_from_profile`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from .situation import HEAD

CARE_CENTRE = "care_centre"
"""The housing kind that rules a household out."""


def _rows(profile: Mapping[str, Any], section: str) -> list[Mapping[str, Any]]:
    return list((profile.get(section) or {}).get("rows") or ())


def situation_from_profile(profile: Mapping[str, Any], on: date | str) -> dict[str, Any]:
    """The situation (as the API takes it: dates and amounts as text) of the household ``profile`` describes.

    The head comes first (from the personal section), then the dependents in
    their order; an income names its member by ID number and is placed on
    that member; an income of someone not in the household is left out (the
    rules count only the household's income).
    """
    personal = profile.get("personal") or {}
    jobs = {row["id_number"]: row for row in _rows(profile, "employment")}
    head_id = personal["id_number"]
    members: list[dict[str, Any]] = [
        _member(HEAD, personal, jobs.get(head_id), same_dwelling=True),
    ]
    positions = {head_id: 0}
    for row in _rows(profile, "dependents"):
        positions[row["id_number"]] = len(members)
        members.append(_member(row["relationship"], row, jobs.get(row["id_number"]), not row.get("lives_elsewhere")))
    incomes = [
        {
            "kind": row["kind"],
            "amount": row["amount"],
            "period": row.get("period", "month"),
            "member": positions[row["member"]],
        }
        for row in _rows(profile, "income")
        if row.get("member") in positions
    ]
    wealth = [
        {"kind": row["kind"], "value": row["value"], "main_home": bool(row.get("main_home"))}
        for row in _rows(profile, "property")
    ]
    housing = profile.get("housing") or {}
    return {
        "on": on if isinstance(on, str) else on.isoformat(),
        "members": members,
        "incomes": incomes,
        "wealth": wealth,
        "care_centre": housing.get("kind") == CARE_CENTRE,
    }


def _member(
    relationship: str, row: Mapping[str, Any], job: Mapping[str, Any] | None, same_dwelling: bool
) -> dict[str, Any]:
    member: dict[str, Any] = {
        "relationship": relationship,
        "nationality": row.get("nationality") or "saudi",
        "same_dwelling": bool(same_dwelling),
        "months_abroad": int(row.get("months_abroad") or 0),
        "able_to_work": bool(row.get("able_to_work")) or job is not None,
        "registered_for_work": bool(job and job.get("registered_for_work")),
        "refused_offers": int((job or {}).get("refused_offers") or 0),
    }
    if row.get("birth_date"):
        member["birth_date"] = row["birth_date"]
    if row.get("qualifies_through"):
        member["qualifies_through"] = row["qualifies_through"]
    return member


@dataclass(frozen=True)
class SandboxHousehold:
    """A fictional household of the sandbox: its head, its story, its profile and what the rules give it."""

    key: str
    head: str
    story: Mapping[str, str]
    profile: Mapping[str, Any]
    expected: Mapping[str, Any]

    def situation(self) -> dict[str, Any]:
        """The situation on the day the expected amount is for."""
        return situation_from_profile(self.profile, self.expected["on"])

    def member_ids(self) -> list[str]:
        """The head and every dependent, by ID number."""
        return [self.head, *(row["id_number"] for row in _rows(self.profile, "dependents"))]


@cache
def sandbox_households() -> tuple[SandboxHousehold, ...]:
    """The households of ``data/sandbox_households.json`` (read once)."""
    text = resources.files("bawaba_social_security").joinpath("data/sandbox_households.json").read_text("utf-8")
    return tuple(
        SandboxHousehold(item["key"], item["head"], item["story"], item["profile"], item["expected"])
        for item in json.loads(text)["households"]
    )
