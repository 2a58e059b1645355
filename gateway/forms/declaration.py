"""Reading a step's marshmallow schema as a list of fields the engine can ask for.

The plugin declares types and metadata (see ``sdk.forms``); this module turns
them into :class:`FieldSpec` values once, so the page renderer, the form
parser and the JSON description all agree on the widget, the label and the
choices of every field.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from marshmallow import Schema, fields
from marshmallow import validate as mv

from bawaba_sdk.fields import GregorianDateField, HijriDateField, NationalIdField, SarAmountField, SaudiMobileField
from bawaba_sdk.forms import FormDeclarationError
from bawaba_sdk.i18n import LocalText

_TYPE_NAMES: tuple[tuple[type[fields.Field[Any]], str], ...] = (
    (NationalIdField, "national_id"),
    (SaudiMobileField, "saudi_mobile"),
    (HijriDateField, "date_hijri"),
    (GregorianDateField, "date_gregorian"),
    (SarAmountField, "sar_amount"),
    (fields.Email, "email"),
    (fields.String, "string"),
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.DateTime, "datetime"),
    (fields.Date, "date_gregorian"),
    (fields.List, "array"),
    (fields.Nested, "object"),
)
"""Most specific first: ``Email`` is a ``String``, ``Integer`` a ``Number``."""


def type_name(marshmallow_field: fields.Field[Any]) -> str:
    """The machine-readable type of a field, as the JSON API describes it."""
    for cls, name in _TYPE_NAMES:
        if isinstance(marshmallow_field, cls):
            return name
    return "string"


@dataclass(frozen=True)
class FieldSpec:
    """One question of a step: what to show and how to read the answer."""

    name: str
    type: str
    widget: str
    label: LocalText
    help: LocalText | None
    required: bool
    choices: tuple[tuple[str, LocalText], ...] = ()
    prefill: str | None = None
    autocomplete: str | None = None
    max_length: int | None = None
    rows: tuple[FieldSpec, ...] = field(default_factory=tuple)
    """For a group, the questions of one row."""
    dynamic_choices: bool = False
    """The choices were worked out for this request (``field(choices=callable)``): only they are accepted."""

    @property
    def multiple(self) -> bool:
        """A checkbox list with choices holds several values."""
        return self.widget == "checkbox" and bool(self.choices)


def default_widget(marshmallow_field: fields.Field[Any], metadata: Mapping[str, Any]) -> str:
    """The widget a field gets when its metadata does not name one."""
    kind = type_name(marshmallow_field)
    if kind == "array" and isinstance(getattr(marshmallow_field, "inner", None), fields.Nested):
        return "group"
    if metadata.get("choices"):
        return "checkbox" if kind == "array" else "select"
    return {
        "boolean": "checkbox",
        "integer": "number",
        "number": "number",
        "date_hijri": "date_hijri",
        "date_gregorian": "date_gregorian",
    }.get(kind, "text")


def _max_length(marshmallow_field: fields.Field[Any]) -> int | None:
    for validator in marshmallow_field.validators:
        if isinstance(validator, mv.Length):
            return validator.equal or validator.max
    return None


def row_schema(marshmallow_field: fields.Field[Any]) -> type[Schema]:
    """The schema of one row of a repeating group: declared, or the one nested in the list."""
    declared = marshmallow_field.metadata.get("schema")
    if declared is not None:
        return declared
    inner = getattr(marshmallow_field, "inner", None)
    if isinstance(inner, fields.Nested):
        nested = inner.nested
        if isinstance(nested, type) and issubclass(nested, Schema):
            return nested
        if isinstance(nested, Schema):
            return type(nested)
    raise FormDeclarationError("a group field must be a List(Nested(RowSchema)) or declare schema=RowSchema")


def describe_field(
    name: str, marshmallow_field: fields.Field[Any], *, nested: bool = False, answers: Mapping[str, Any] | None = None
) -> FieldSpec:
    spec = _fixed_spec(name, marshmallow_field, nested)
    rows: tuple[FieldSpec, ...] = ()
    if spec.widget == "group":
        rows = tuple(describe_schema(row_schema(marshmallow_field), nested=True, answers=answers))
    return replace(spec, choices=resolve_choices(marshmallow_field.metadata.get("choices"), answers), rows=rows)


def _fixed_spec(name: str, marshmallow_field: fields.Field[Any], nested: bool) -> FieldSpec:
    """What the declaration fixes: everything but the choices and a group's rows."""
    metadata = marshmallow_field.metadata
    if "label" not in metadata:
        raise FormDeclarationError(f"field {name!r} has no label; declare metadata=sdk.forms.field(label=...)")
    widget = metadata.get("widget") or default_widget(marshmallow_field, metadata)
    if widget == "group" and nested:
        raise FormDeclarationError(f"field {name!r}: a group cannot hold another group")
    return FieldSpec(
        name=name,
        type=type_name(marshmallow_field),
        widget=widget,
        label=metadata["label"],
        help=metadata.get("help"),
        required=bool(marshmallow_field.required),
        dynamic_choices=callable(metadata.get("choices")),
        prefill=metadata.get("prefill"),
        autocomplete=metadata.get("autocomplete"),
        max_length=_max_length(marshmallow_field),
    )


def resolve_choices(declared: Any, answers: Mapping[str, Any] | None = None) -> tuple[tuple[str, LocalText], ...]:
    """The ``(value, label)`` pairs to offer: declared ones, or what the plugin's callable returns now.

    A callable taking one argument gets the answers saved so far (``sdk.forms.ChoicesSource``).
    """
    if declared is None:
        return ()
    if not callable(declared):
        found = declared
    elif _takes_answers(declared):
        found = declared(dict(answers or {}))
    else:
        found = declared()
    return tuple((str(value), label) for value, label in found)


@lru_cache(maxsize=512)
def _takes_answers(source: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(source).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    )
    return any(parameter.kind in positional for parameter in parameters)


def describe_schema(
    schema_class: type[Schema], *, nested: bool = False, answers: Mapping[str, Any] | None = None
) -> list[FieldSpec]:
    """Every field of ``schema_class`` in declaration order (``answers``: those saved so far, for choices).

    What a declaration says is worked out once per schema class (see
    :func:`_declared`); only choices a plugin's callable gives are asked for
    on every call, since they may depend on the answers, the person or the day.
    """
    return [_for_now(declared, answers) for declared in _declared(schema_class, nested)]


@dataclass(frozen=True)
class _Declared:
    """One field as declared: its spec with the fixed parts, and what must be worked out per request."""

    spec: FieldSpec
    choices_source: Callable[..., Any] | None
    """The plugin's callable giving the choices, when they are not a fixed list."""
    rows: tuple[_Declared, ...]
    dynamic: bool
    """Whether this field or one of its rows has choices from a callable."""


@lru_cache(maxsize=1024)
def _declared(schema_class: type[Schema], nested: bool) -> tuple[_Declared, ...]:
    """The fields of a schema class, described once: a form page used to instantiate the schema and
    describe every field (labels, widgets, fixed choices) on every request, a tenth of its CPU."""
    found = []
    for name, marshmallow_field in schema_class().fields.items():
        if marshmallow_field.dump_only:
            continue
        spec = _fixed_spec(name, marshmallow_field, nested)
        declared_choices = marshmallow_field.metadata.get("choices")
        source = declared_choices if callable(declared_choices) else None
        if source is None:
            spec = replace(spec, choices=resolve_choices(declared_choices))
        rows = _declared(row_schema(marshmallow_field), True) if spec.widget == "group" else ()
        if rows:
            spec = replace(spec, rows=tuple(row.spec for row in rows))
        dynamic = source is not None or any(row.dynamic for row in rows)
        found.append(_Declared(spec, source, rows, dynamic))
    return tuple(found)


def _for_now(declared: _Declared, answers: Mapping[str, Any] | None) -> FieldSpec:
    if not declared.dynamic:
        return declared.spec
    spec = declared.spec
    if declared.choices_source is not None:
        spec = replace(spec, choices=resolve_choices(declared.choices_source, answers))
    if declared.rows:
        spec = replace(spec, rows=tuple(_for_now(row, answers) for row in declared.rows))
    return spec


_PREFILL_AUTOCOMPLETE = {
    "mobile": "tel",
    "email": "email",
    "first_name_ar": "given-name",
    "first_name_en": "given-name",
    "family_name_ar": "family-name",
    "family_name_en": "family-name",
    "birth_date": "bday",
}


def input_attributes(spec: FieldSpec) -> dict[str, str]:
    """HTML attributes of a text-like input: type, inputmode, autocomplete and direction.

    Numbers and dates are ``type="text"`` with an ``inputmode``: a browser's
    ``type="number"`` refuses Arabic-Indic digits, which the SDK fields accept.
    Numbers, dates, phones and e-mail addresses read left to right even on
    an Arabic page.
    """
    attributes: dict[str, str] = {"type": "text"}
    if spec.type == "email":
        attributes.update(type="email", autocomplete="email", dir="ltr", spellcheck="false")
    elif spec.type == "saudi_mobile":
        attributes.update(type="tel", autocomplete="tel", dir="ltr")
    elif spec.type == "national_id":
        attributes.update(inputmode="numeric", autocomplete="off", dir="ltr", spellcheck="false")
    elif spec.type in ("sar_amount", "number") or (spec.widget == "number" and spec.type != "integer"):
        attributes.update(inputmode="decimal", dir="ltr")
    elif spec.type == "integer" or spec.widget in ("date_hijri", "date_gregorian") or spec.type.startswith("date"):
        attributes.update(inputmode="numeric", dir="ltr")
    if spec.prefill in _PREFILL_AUTOCOMPLETE:
        attributes["autocomplete"] = _PREFILL_AUTOCOMPLETE[spec.prefill]
    if spec.autocomplete:
        attributes["autocomplete"] = spec.autocomplete
    if spec.max_length and spec.type in ("string", "email"):
        attributes["maxlength"] = str(spec.max_length)
    return attributes
