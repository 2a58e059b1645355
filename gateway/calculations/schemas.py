"""The calculation API's answer, declared as marshmallow schemas for the OpenAPI document.

The answer itself is built by :mod:`.present` (``ExplanationShown.as_json``);
``tests/calculations`` checks that every answer validates against these.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from bawaba_sdk.calculations import OPERATIONS


class UsedParameterFields(Schema):
    """The parameter a line or condition used (all ``null`` when it used none)."""

    parameter = fields.String(allow_none=True, required=True, metadata={"description": "Its key, e.g. minimum.head."})
    parameter_label = fields.String(allow_none=True, required=True)
    value = fields.String(allow_none=True, required=True, metadata={"description": "The value as data: 1320, 9, true."})
    value_text = fields.String(
        allow_none=True, required=True, metadata={"description": "The value with its unit, formatted for the reader."}
    )
    unit = fields.String(allow_none=True, required=True)
    effective_from = fields.Date(allow_none=True, required=True, metadata={"description": "The day it took effect."})
    effective_from_text = fields.String(allow_none=True, required=True)
    source = fields.String(allow_none=True, required=True, metadata={"description": "Where it was published."})
    url = fields.String(allow_none=True, required=True)
    set_by_operator = fields.Boolean(
        allow_none=True, required=True, metadata={"description": "The portal's operator set this value."}
    )


class CalculationLineSchema(UsedParameterFields):
    """One line of the calculation: what it adds, takes away, caps or notes."""

    label = fields.String(required=True, metadata={"description": "In the request's language, figures formatted."})
    operation = fields.String(required=True, validate=validate.OneOf(sorted(OPERATIONS)))
    amount = fields.String(allow_none=True, required=True, metadata={"description": "Riyals and halalas: 1320.00."})
    amount_text = fields.String(allow_none=True, required=True)
    quantity = fields.String(allow_none=True, required=True, metadata={"description": "How many times it counts."})
    quantity_text = fields.String(allow_none=True, required=True)
    applied = fields.Boolean(
        allow_none=True, required=True, metadata={"description": "For a cap or floor: whether it changed the total."}
    )


class CalculationConditionSchema(UsedParameterFields):
    """One rule of eligibility, met or not, with the figures in plain words."""

    key = fields.String(required=True)
    label = fields.String(required=True)
    met = fields.Boolean(required=True)
    detail = fields.String(required=True)


class CalculationAnswerSchema(Schema):
    """A calculation's answer in the request's language (``Accept-Language``: ar or en)."""

    class Meta:
        unknown = "include"

    program = fields.String(required=True)
    calculation = fields.String(required=True)
    on = fields.Date(required=True, metadata={"description": "The day whose rules were applied."})
    eligible = fields.Boolean(required=True)
    amount = fields.String(required=True, metadata={"description": "0.00 when a condition is not met."})
    amount_text = fields.String(required=True)
    currency = fields.String(required=True)
    lines = fields.List(fields.Nested(CalculationLineSchema), required=True)
    conditions = fields.List(fields.Nested(CalculationConditionSchema), required=True)
    unmet = fields.List(
        fields.Nested(CalculationConditionSchema), required=True, metadata={"description": "The conditions not met."}
    )
    breakdown = fields.List(
        fields.Dict(), required=True, metadata={"description": "Rows of a schedule (month by month), when it has one."}
    )
