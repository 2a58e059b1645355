"""Musaned's program page: the declaration, plus the conditions, fees and time limits from the settings.

The host's ``program.html`` lists the services and the contact numbers; this
page adds what only the settings know (the visa fee, the minimum incomes,
the advance on a contract, the delay before a complaint), so a change of
configuration shows on the page without a change of code.
"""

from __future__ import annotations

import bawaba_sdk as sdk

from .eligibility import sar
from .visas import nationality_label, worker_type_label
from .web import SLUG, bp


@bp.get("/")
def index() -> str:
    """The program page: services, conditions, fees and the contact numbers, in both languages."""
    settings = sdk.plugin_settings(SLUG)
    return sdk.render_template(
        f"{SLUG}/index.html",
        settings=settings,
        sar=sar,
        worker_types=[worker_type_label(slug) for slug in settings["worker_types"]],
        nationalities=sorted(nationality_label(code) for code in settings["worker_nationalities"]),
    )
