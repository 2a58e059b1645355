"""The signed-in household's pages: its unified profile (the host's record pages) and its eligibility.

The eligibility page works the entitlement out from the household's last
confirmed profile (never the draft being edited) with the portal's
parameters on today's date, and shows it with the same explanation as the
estimate: each condition met or not, each line with its rule, value, day and
source.
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


@bp.get("/eligibility")
@sdk.login_required
def eligibility() -> Any:
    """Whether the household is eligible today, from its confirmed profile, explained line by line."""
    state = sdk.current_record(SLUG, PROFILE)
    version = state.confirmed if state is not None else None
    result = assess(version, date.today()) if version is not None else None
    return sdk.render_template(
        f"{SLUG}/eligibility.html",
        version=version,
        result=result,
        draft_pending=state is not None and state.draft is not None,
        profile_url=sdk.record_url(SLUG, PROFILE),
    )
