"""The public estimate page (``/social_security/estimate``): eligibility and amount of a what-if household.

Anyone can use it without an account: nothing typed is stored. The answer is
the same :class:`sdk.Explanation` the API and the assessments give, rendered
with the host's explanation macro: every condition met or not in plain words
and every line of the sum with its rule, value, day and public source.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

import bawaba_sdk as sdk

from .entitlement import entitlement
from .estimate_form import HOUSING, input_errors, read_form, situation_body
from .situation import (
    INCOME_KINDS,
    NATIONALITIES,
    PERIODS,
    QUALIFYING_LINKS,
    RELATIONSHIPS,
    SLUG,
    WEALTH_KINDS,
    load_situation,
)
from .web import bp


@bp.get("/estimate")
def estimate() -> Any:
    """The form, and under it the estimate once the visitor asks for it (422 when the household has a mistake)."""
    form = read_form(sdk.request.args, date.today())
    result = None
    status = 200
    if form.submitted:
        body, member_rows, income_rows, wealth_rows = situation_body(form)
        try:
            situation = load_situation(body)
        except ValidationError as error:
            form.errors.update(input_errors(error, member_rows, income_rows, wealth_rows))
        if form.errors:
            status = 422
        else:
            result = entitlement(situation, sdk.plugin_parameters(SLUG))
    page = sdk.render_template(
        f"{SLUG}/estimate.html",
        form=form,
        result=result,
        housing_choices=HOUSING,
        relationships=RELATIONSHIPS,
        nationalities=NATIONALITIES,
        links=QUALIFYING_LINKS,
        income_kinds=INCOME_KINDS,
        periods=PERIODS,
        wealth_kinds=WEALTH_KINDS,
    )
    return page, status
