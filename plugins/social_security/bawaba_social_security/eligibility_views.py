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

from datetime import date
from typing import Any

import bawaba_sdk as sdk

from .entitlement import entitlement
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
        draft_pending=state is not None and state.draft is not None,
        profile_url=sdk.record_url(SLUG, PROFILE),
    )
