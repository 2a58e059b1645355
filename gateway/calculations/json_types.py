"""JSON values of the type the calculation's OpenAPI schema says, before marshmallow reads them.

Why: marshmallow is lenient where the API's document is not: a ``Boolean``
takes ``0`` and ``1``, an amount (a string in the schema, so that no float
rounds it) takes a number. A caller who sends what the document forbids gets a
422 naming the field, as for any other mistake, not an answer to a guess.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, fields

from bawaba_sdk import fields as sdk_fields


def wrong_types(body: dict[str, Any], schema: Schema, prefix: str = "") -> dict[str, str]:
    """Each field of ``body`` whose JSON type is not the schema's (dotted paths, as ``flatten_errors`` gives)."""
    problems: dict[str, str] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key not in body or body[key] is None:
            continue
        problems.update(_check(body[key], field, f"{prefix}{key}"))
    return problems


def _check(value: Any, field: fields.Field, path: str) -> dict[str, str]:
    if isinstance(field, fields.Boolean) and not isinstance(value, bool):
        return {path: _("Send true or false.")}
    if isinstance(field, fields.Integer) and (isinstance(value, bool) or not isinstance(value, int)):
        return {path: _("Send a whole number.")}
    as_string = (fields.Decimal, fields.String, fields.Date, sdk_fields.SarAmountField)
    if isinstance(field, as_string) and not isinstance(value, str):
        return {path: _("Send this value as a string.")}
    if isinstance(field, fields.Nested) and isinstance(value, dict) and isinstance(field.schema, Schema):
        return wrong_types(value, field.schema, f"{path}.")
    if isinstance(field, fields.List) and isinstance(value, list):
        problems: dict[str, str] = {}
        for index, item in enumerate(value):
            if item is not None:
                problems.update(_check(item, field.inner, f"{path}.{index}"))
        return problems
    return {}
