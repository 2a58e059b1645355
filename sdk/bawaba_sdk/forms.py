"""Declaring a service's form: marshmallow schemas whose fields say how to ask.

A plugin describes each step of a form as a marshmallow ``Schema``; the host's
forms engine renders the pages, validates the answers, keeps the draft and
describes the same form to the JSON API. The plugin writes no HTML: what the
engine needs beyond the value's type (a label, a hint, the kind of input, the
choices, where to prefill from) travels in each field's ``metadata``, built
with :func:`field` so that a typo in a key or a widget fails at import time
instead of silently rendering a bare text box::

    from bawaba_sdk.forms import Schema, field, fields, validate

    class BoatSchema(Schema):
        name = fields.String(
            required=True,
            validate=validate.Length(max=100),
            metadata=field(label=_l("Boat name"), help=_l("As painted on the hull.")),
        )
        crew = fields.List(
            fields.Nested(CrewMemberSchema),
            metadata=field(label=_l("Crew members"), widget="group"),
        )

``Schema``, ``fields`` and ``validate`` are marshmallow's own, re-exported so
that plugins keep importing only ``sdk``; the SDK's field types for national
IDs, mobiles, dates and amounts are re-exported too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal

from marshmallow import Schema, fields, validate

from .fields import (
    GregorianDateField,
    HijriDateField,
    NationalIdField,
    SarAmountField,
    SaudiIbanField,
    SaudiMobileField,
)
from .i18n import LocalText

Widget = Literal[
    "text", "textarea", "number", "date_hijri", "date_gregorian", "select", "radio", "checkbox", "file", "group"
]
"""The kinds of input the engine can render."""

WIDGETS: Final[frozenset[str]] = frozenset(
    {"text", "textarea", "number", "date_hijri", "date_gregorian", "select", "radio", "checkbox", "file", "group"}
)

PREFILL_ATTRIBUTES: Final[frozenset[str]] = frozenset(
    {
        "id_number",
        "id_type",
        "first_name_ar",
        "family_name_ar",
        "first_name_en",
        "family_name_en",
        "birth_date",
        "nationality",
        "mobile",
        "email",
    }
)
"""The :class:`sdk.PersonView` attributes a field may be prefilled from.

A prefilled field comes from the shared identity: the person told the
government once, so the engine shows it read-only and never takes it from
the posted form.
"""

METADATA_KEYS: Final[frozenset[str]] = frozenset(
    {"label", "help", "widget", "choices", "prefill", "schema", "autocomplete"}
)
"""The keys :func:`field` puts in a field's metadata (the engine reads no others)."""

Choice = tuple[str, LocalText]
"""A value the form sends and the text the person reads."""

ChoicesSource = Callable[[], Iterable[Choice]] | Callable[[Mapping[str, Any]], Iterable[Choice]]
"""Choices that depend on who asks, on configuration or on earlier answers, worked out on each request.

The engine calls it inside the request (so it may use ``sdk.current_person()``,
``sdk.plugin_settings()`` and ``sdk.db_session()``), shows what it returns and
accepts only those values: a posted value that is not among them is refused
with a message, so a plugin needs no ``OneOf`` for dynamic choices. A callable
that takes one argument receives the answers saved so far (step slug -> that
step's answers; empty where there is no draft, as in the API's form
description), so a later step's choices can follow an earlier step's answer.
"""


class FormDeclarationError(ValueError):
    """A field's metadata cannot be rendered (unknown widget, choices on a text box, ...)."""


def field(
    *,
    label: LocalText,
    help: LocalText | None = None,
    widget: Widget | None = None,
    choices: Iterable[Choice] | ChoicesSource | None = None,
    prefill: str | None = None,
    schema: type[Schema] | None = None,
    autocomplete: str | None = None,
) -> dict[str, Any]:
    """The ``metadata`` of one form field, checked now rather than at render time.

    :param label: what the person reads above the input (a lazy string).
    :param help: a hint under the label, or ``None``.
    :param widget: how to ask; ``None`` lets the engine choose from the
        field's type (a number box for ``Integer``, a Hijri date for
        ``HijriDateField``, a checkbox for ``Boolean``, a select when
        ``choices`` are given, a repeating group for ``List(Nested(...))``).
    :param choices: ``(value, label)`` pairs for ``select``, ``radio`` and
        multiple ``checkbox`` widgets. Declare a ``validate.OneOf`` too: the
        choices say what to show, the validator what to accept.
    :param prefill: the :class:`sdk.PersonView` attribute the value comes
        from (``"mobile"``, ``"first_name_ar"``, ``"birth_date"``, ...); the
        field is then shown read-only.
    :param schema: for ``widget="group"``, the schema of one row; by default
        the one nested in the ``List(Nested(...))``.
    :param autocomplete: the HTML ``autocomplete`` token, when the engine's
        guess from the type and ``prefill`` is not right.
    """
    if widget is not None and widget not in WIDGETS:
        raise FormDeclarationError(f"widget must be one of {sorted(WIDGETS)}, not {widget!r}")
    dynamic = callable(choices)
    choice_list: list[Choice] | None = None
    if choices is not None and not callable(choices):
        choice_list = [(str(value), text) for value, text in choices]
    if (choice_list is not None or dynamic) and widget not in (None, "select", "radio", "checkbox"):
        raise FormDeclarationError(f"choices only fit the select, radio and checkbox widgets, not {widget!r}")
    if widget in ("select", "radio") and not choice_list and not dynamic:
        raise FormDeclarationError(f"the {widget} widget needs choices")
    if prefill is not None and prefill not in PREFILL_ATTRIBUTES:
        raise FormDeclarationError(f"prefill must be one of {sorted(PREFILL_ATTRIBUTES)}, not {prefill!r}")
    if schema is not None and widget != "group":
        raise FormDeclarationError("only a group widget takes a row schema")
    metadata: dict[str, Any] = {"label": label, "help": help, "widget": widget}
    if choice_list is not None:
        metadata["choices"] = choice_list
    elif dynamic:
        metadata["choices"] = choices
    if prefill is not None:
        metadata["prefill"] = prefill
    if schema is not None:
        metadata["schema"] = schema
    if autocomplete is not None:
        metadata["autocomplete"] = autocomplete
    return metadata


__all__ = [
    "METADATA_KEYS",
    "PREFILL_ATTRIBUTES",
    "WIDGETS",
    "Choice",
    "ChoicesSource",
    "FormDeclarationError",
    "GregorianDateField",
    "HijriDateField",
    "NationalIdField",
    "SarAmountField",
    "SaudiIbanField",
    "SaudiMobileField",
    "Schema",
    "Widget",
    "field",
    "fields",
    "validate",
]
