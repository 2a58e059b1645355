"""Marshmallow's own error messages, replaced by translated ones in the person's language.

Marshmallow speaks English ("Missing data for required field."), and its
validators' texts quote Python-ish limits. A person must read what to do, in
their language, naming the question. Each request builds fresh schema
instances and this module rewrites their messages with ``gettext`` at that
moment, so a page in Arabic gets Arabic errors. Messages the plugin wrote
itself (``error=`` on a validator, ``error_messages=`` on a field) are kept.
"""

from __future__ import annotations

import copy
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, fields
from marshmallow import validate as mv

from .declaration import FieldSpec, default_widget


def _is_default(marshmallow_field: fields.Field[Any], key: str) -> bool:
    """Whether the field still carries marshmallow's English text for ``key`` (not the author's own)."""
    current = marshmallow_field.error_messages.get(key)
    return any(
        getattr(cls, "default_error_messages", {}).get(key) == current for cls in type(marshmallow_field).__mro__
    )


def required_message(label: Any, widget: str) -> str:
    if widget in ("select", "radio"):
        return _("Choose an option for “%(label)s”.", label=label)
    if widget == "file":
        return _("Choose a file for “%(label)s”.", label=label)
    if widget == "checkbox":
        return _("Tick the box for “%(label)s”.", label=label)
    if widget == "group":
        return _("Add at least one entry to “%(label)s”.", label=label)
    return _("Enter a value for “%(label)s”.", label=label)


def _invalid_message(marshmallow_field: fields.Field[Any]) -> str | None:
    if isinstance(marshmallow_field, fields.Email):
        return _("Enter an email address like name@example.com.")
    if isinstance(marshmallow_field, fields.Integer):
        return _("Enter a whole number, like 12.")
    if isinstance(marshmallow_field, fields.Number):
        return _("Enter a number, like 12.5.")
    if isinstance(marshmallow_field, fields.Boolean):
        return _("Choose yes or no.")
    if isinstance(marshmallow_field, fields.Date):
        return _("Enter the date as YYYY-MM-DD or DD/MM/YYYY.")
    if isinstance(marshmallow_field, fields.String):
        return _("Enter text.")
    if isinstance(marshmallow_field, fields.List | fields.Nested):
        return _("Enter a list of entries.")
    return None


def _length_message(validator: mv.Length, is_list: bool) -> str:
    if validator.equal is not None:
        return _("Enter exactly %(count)s characters.", count=validator.equal)
    if validator.max is not None and validator.min is not None:
        if is_list:
            return _("Add from %(min)s to %(max)s entries.", min=validator.min, max=validator.max)
        return _("Enter from %(min)s to %(max)s characters.", min=validator.min, max=validator.max)
    if validator.max is not None:
        if is_list:
            return _("Add at most %(max)s entries.", max=validator.max)
        return _("Enter at most %(max)s characters.", max=validator.max)
    if is_list:
        return _("Add at least %(min)s entries.", min=validator.min)
    return _("Enter at least %(min)s characters.", min=validator.min)


def _range_message(validator: mv.Range) -> str:
    if validator.min is not None and validator.max is not None:
        return _("Enter a number from %(min)s to %(max)s.", min=validator.min, max=validator.max)
    if validator.max is not None:
        return _("Enter a number no bigger than %(max)s.", max=validator.max)
    return _("Enter a number no smaller than %(min)s.", min=validator.min)


def _translate_validators(marshmallow_field: fields.Field[Any]) -> None:
    is_list = isinstance(marshmallow_field, fields.List)
    for validator in marshmallow_field.validators:
        if isinstance(validator, mv.Length) and validator.error is None:
            validator.error = _length_message(validator, is_list).replace("{", "{{").replace("}", "}}")
        elif isinstance(validator, mv.Range) and validator.error is None:
            validator.error = _range_message(validator).replace("{", "{{").replace("}", "}}")
        elif isinstance(validator, mv.OneOf | mv.ContainsOnly) and validator.error == validator.default_message:
            validator.error = _("Choose one of the options offered.")
        elif isinstance(validator, mv.Email) and validator.error == validator.default_message:
            validator.error = _("Enter an email address like name@example.com.")
        elif isinstance(validator, mv.Regexp) and validator.error == validator.default_message:
            validator.error = _("Enter the value in the format asked for.")


def _own_copies(marshmallow_field: fields.Field[Any]) -> None:
    """Give the field its own messages, validators and inner field before they are rewritten.

    A schema instance's fields are *shallow* copies of the class's (marshmallow's
    ``Field.__deepcopy__`` is ``copy.copy``): their message dict, validator list
    and nested schema are shared with every other request. Rewriting those in
    place would leak one request's language into the next.
    """
    marshmallow_field.error_messages = dict(marshmallow_field.error_messages)
    marshmallow_field.validators = [copy.copy(validator) for validator in marshmallow_field.validators]
    if isinstance(marshmallow_field, fields.List):
        inner = copy.copy(marshmallow_field.inner)
        if isinstance(inner, fields.Nested):
            inner._schema = None  # a fresh row schema instance, with its own field copies
        marshmallow_field.inner = inner


def translate_field(marshmallow_field: fields.Field[Any], spec: FieldSpec | None) -> None:
    """Rewrite one field instance's default messages in the current language."""
    _own_copies(marshmallow_field)
    label = spec.label if spec is not None else marshmallow_field.metadata.get("label")
    if not label:  # a schema not drawn as a form (a calculation's situation) may have no labels: name the key
        label = marshmallow_field.data_key or marshmallow_field.name or ""
    widget = spec.widget if spec is not None else default_widget(marshmallow_field, marshmallow_field.metadata)
    messages = marshmallow_field.error_messages
    for key in ("required", "null"):
        if key in messages and _is_default(marshmallow_field, key):
            messages[key] = required_message(label, widget)
    invalid = _invalid_message(marshmallow_field)
    for key in ("invalid", "too_large", "special", "invalid_utf8"):
        if key in messages and invalid is not None and _is_default(marshmallow_field, key):
            messages[key] = invalid
    if "validator_failed" in messages and _is_default(marshmallow_field, "validator_failed"):
        messages["validator_failed"] = _("Check this answer: it is not one we can accept.")
    _translate_validators(marshmallow_field)
    if isinstance(marshmallow_field, fields.List):
        inner = marshmallow_field.inner
        if isinstance(inner, fields.Nested):
            translated_schema(inner.schema, spec.rows if spec is not None else ())
        else:
            translate_field(inner, spec)


def translated_schema(schema: Schema, specs: tuple[FieldSpec, ...] | list[FieldSpec] = ()) -> Schema:
    """``schema`` (a fresh instance) with every field's messages in the current language."""
    by_name = {spec.name: spec for spec in specs}
    for name, marshmallow_field in schema.fields.items():
        translate_field(marshmallow_field, by_name.get(name))
    schema.error_messages = {
        **schema.error_messages,
        "type": _("Send the answers as a set of named fields."),
        "unknown": _("This question is not part of the form."),
    }
    return schema
