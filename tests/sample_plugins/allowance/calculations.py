"""The allowance's calculations: the monthly allowance (public) and a private estimate (token needed)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import SarAmountField, Schema, field, fields, validate

N_ = sdk.N_
TODAY = datetime.date(2026, 12, 1)
"""The day a situation is judged on when it names none (fixed, so answers do not change with the calendar)."""

RAISE_IN_COMPUTE: list[Exception] = []
"""When not empty, the allowance's computation raises its first item (a plugin bug)."""


class Member(Schema):
    relationship = fields.String(
        required=True,
        validate=validate.OneOf(["head", "spouse", "child", "other"]),
        metadata=field(
            label="Relationship",
            widget="select",
            choices=[("head", "Head"), ("spouse", "Spouse"), ("child", "Child"), ("other", "Other")],
        ),
    )
    birth_date = fields.Date(load_default=None, metadata=field(label="Date of birth"))


class Situation(Schema):
    on = fields.Date(load_default=TODAY, metadata=field(label="Day"))
    members = fields.List(
        fields.Nested(Member),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata=field(label="Members of the household", widget="group"),
    )
    income = SarAmountField(load_default=Decimal(0), metadata=field(label="Monthly income"))
    months_abroad = fields.Integer(
        load_default=0, validate=validate.Range(min=0, max=12), metadata=field(label="Months abroad in the last 12")
    )


def allowance(situation: Mapping[str, Any], parameters: sdk.ParameterSet) -> sdk.Explanation:
    if RAISE_IN_COMPUTE:
        raise RAISE_IN_COMPUTE[0]
    on = situation["on"]
    children = sum(1 for member in situation["members"] if member["relationship"] == "child")
    ex = sdk.Explainer("allowance", on, parameters)
    limit = ex.parameter("abroad.max_months").value
    ex.condition(
        "abroad",
        N_("Nobody spent more than the allowed months abroad"),
        situation["months_abroad"] <= limit,
        N_("%(months)s months abroad in the last 12; at most %(limit)s are allowed."),
        parameter="abroad.max_months",
        months=situation["months_abroad"],
        limit=limit,
    )
    ex.add(N_("Allowance for the household"), "allowance.base")
    ex.add(N_("Allowance for %(count)s children"), "allowance.per_child", quantity=children, count=children)
    ex.subtract(N_("Monthly income of %(income)s counted in full"), situation["income"], income=situation["income"])
    ex.floor(N_("Never below zero"), Decimal(0))
    ex.cap(N_("Highest monthly allowance"), "allowance.cap")
    return ex.result(N_("Monthly allowance"))


def private_estimate(situation: Mapping[str, Any], parameters: sdk.ParameterSet) -> sdk.Explanation:
    ex = sdk.Explainer("private_estimate", situation["on"], parameters)
    ex.add(N_("Allowance for the household"), "allowance.base")
    return ex.result(N_("Monthly allowance"))


class PrivateSituation(Schema):
    on = fields.Date(load_default=TODAY, metadata=field(label="Day"))


CALCULATIONS = (
    sdk.Calculation(
        name="allowance",
        title="Monthly allowance",
        summary="The household's monthly allowance, line by line.",
        situation=Situation,
        compute=allowance,
        example={
            "on": "2026-12-01",
            "members": [{"relationship": "head"}, {"relationship": "child"}],
            "income": "500.00",
        },
        answer=lambda explanation: {"per_year": str(explanation.amount * 12), "amount": "never replaces the host's"},
    ),
    sdk.Calculation(
        name="private_estimate",
        title="Private estimate",
        summary="An estimate only an app acting for the person may ask for.",
        situation=PrivateSituation,
        compute=private_estimate,
        public=False,
    ),
)
