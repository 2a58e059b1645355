"""The calculations the programme offers: the household's monthly entitlement, explained line by line.

The host serves it at ``POST /api/v1/programs/social_security/calculations/entitlement``
to anyone (a what-if household holds no personal data), rate limited and in
the OpenAPI document; the estimate page and the assessments of a confirmed
profile run the same :func:`bawaba_social_security.entitlement.entitlement`.
"""

from __future__ import annotations

import bawaba_sdk as sdk

from .entitlement import NAME, entitlement
from .i18n import _l
from .situation import Situation

EXAMPLE = {
    "on": "2026-12-01",
    "members": [
        {"relationship": "head"},
        {"relationship": "spouse"},
        {"relationship": "child", "birth_date": "2015-03-01"},
    ],
    "incomes": [{"kind": "salary", "amount": "1500.00", "period": "month"}],
}
"""The issue's example situation, shown in the OpenAPI document."""

ENTITLEMENT = sdk.Calculation(
    name=NAME,
    title=_l("Monthly support of the developed social security"),
    summary=_l(
        "Whether a household is eligible, every condition met or not, and its monthly amount with every line "
        "of the sum: the rule used, its value, the day it took effect and its public source."
    ),
    situation=Situation,
    compute=entitlement,
    public=True,
    example=EXAMPLE,
)

CALCULATIONS = (ENTITLEMENT,)
