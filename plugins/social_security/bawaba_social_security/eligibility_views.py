"""The signed-in household's pages: its unified profile (the host's record pages) and its eligibility.

The eligibility page works the entitlement out from the household's last
confirmed profile (never the draft being edited) with the portal's
parameters on today's date, and shows it with the same explanation as the
estimate: each condition met or not, each line with its rule, value, day and
source. After a change of the profile (a birth, a member leaving, a new
income, a move) is confirmed, it also says how the amount changed and from
which month: the first monthly cycle after the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import bawaba_sdk as sdk

from .entitlement import age_on, entitlement
from .household import situation_from_profile
from .profile import NAME as PROFILE
from .situation import SLUG, load_situation
from .web import bp


@bp.get("/profile")
@sdk.login_required
def profile() -> Any:
    """The unified profile's first page (the host serves the record's pages)."""
    return sdk.redirect(sdk.record_url(SLUG, PROFILE))


def assess(version: sdk.RecordVersion, on: date) -> sdk.Explanation:
    """The entitlement of the household a confirmed profile version describes, on ``on``."""
    situation = load_situation(situation_from_profile(version.data, on))
    return entitlement(situation, sdk.plugin_parameters(SLUG))


def first_of_next_month(day: date) -> date:
    """The first day of the month after ``day``: a change confirmed now counts from the next monthly cycle."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def change_summary(state: sdk.RecordState, today: date) -> dict[str, str] | None:
    """What the last confirmed change did to the amount, and from which month (``None`` before any change)."""
    if len(state.versions) < 2:
        return None
    latest, previous = state.versions[0], state.versions[1]
    before, after = assess(previous, today).amount, assess(latest, today).amount
    return {
        "number": str(latest.number),
        "before": sdk.format_amount(before),
        "after": sdk.format_amount(after),
        "from": sdk.format_date(first_of_next_month(today)),
        "changed": "yes" if before != after else "",
    }


def obligations(data: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The job-seeking obligations of the household's members: who must seek work, and how they stand.

    Members able to work and aged ``obligations.min_age`` to
    ``obligations.max_age`` must be registered on the national jobs platform
    and may refuse at most ``obligations.max_refused_offers`` suitable offers.
    """
    rules = sdk.plugin_parameters(SLUG).at(today)
    youngest, oldest = int(rules["obligations.min_age"].value), int(rules["obligations.max_age"].value)
    allowed = int(rules["obligations.max_refused_offers"].value)
    situation = situation_from_profile(data, today)
    personal = data.get("personal") or {}
    ids = [
        personal.get("id_number", ""),
        *(row["id_number"] for row in (data.get("dependents") or {}).get("rows") or ()),
    ]
    bound = []
    for id_number, member in zip(ids, situation["members"], strict=True):
        born = member.get("birth_date")
        if not member["able_to_work"] or not member["same_dwelling"] or born is None:
            continue
        if youngest <= age_on(date.fromisoformat(str(born)), today) <= oldest:
            bound.append(
                {
                    "id_number": id_number,
                    "registered": member["registered_for_work"],
                    "refused": member["refused_offers"],
                    "over": member["refused_offers"] > allowed,
                }
            )
    return {"members": bound, "youngest": youngest, "oldest": oldest, "allowed": allowed}


@bp.get("/eligibility")
@sdk.login_required
def eligibility() -> Any:
    """Whether the household is eligible today, from its confirmed profile, explained line by line."""
    state = sdk.current_record(SLUG, PROFILE)
    version = state.confirmed if state is not None else None
    today = date.today()
    result = assess(version, today) if version is not None else None
    return sdk.render_template(
        f"{SLUG}/eligibility.html",
        version=version,
        result=result,
        change=change_summary(state, today) if state is not None and version is not None else None,
        duties=obligations(version.data, today) if version is not None else None,
        draft_pending=state is not None and state.draft is not None,
        profile_url=sdk.record_url(SLUG, PROFILE),
    )
