"""What the step and check pages show: each field's label, value, error and input attributes.

Built in Python rather than in Jinja so the templates stay declarative and
every page (and its tests) agree on ids: a field's id is its name, a group
cell's id is ``<group>-<row>-<cell>``, and the error summary links to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from bawaba_sdk.formatting import format_amount, format_date, format_hijri_date, format_number
from bawaba_sdk.i18n import LocalText

from .declaration import FieldSpec, input_attributes
from .flow import group_row_count


@dataclass
class FieldView:
    """One input as the template renders it."""

    spec: FieldSpec
    id: str
    name: str
    value: str = ""
    checked: bool = False
    selected: frozenset[str] = frozenset()
    error: str | None = None
    readonly: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    rows: list[list[FieldView]] = field(default_factory=list)

    @property
    def label(self) -> LocalText:
        return self.spec.label

    @property
    def help(self) -> LocalText | None:
        return self.spec.help

    @property
    def widget(self) -> str:
        return self.spec.widget

    @property
    def described_by(self) -> str:
        ids = []
        if self.spec.help:
            ids.append(f"{self.id}-hint")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _simple_view(spec: FieldSpec, field_id: str, value: Any, errors: Mapping[str, str]) -> FieldView:
    view = FieldView(spec=spec, id=field_id, name=field_id, error=errors.get(field_id))
    view.attributes = input_attributes(spec)
    if spec.widget == "checkbox":
        if spec.multiple:
            values = value if isinstance(value, list | tuple) else []
            view.selected = frozenset(str(item) for item in values)
        else:
            view.checked = value is True or value in ("on", "true", "1", "y", "yes")
    else:
        view.value = _as_text(value)
        view.selected = frozenset({view.value})
    return view


def field_views(
    specs: list[FieldSpec],
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    *,
    extra_rows: Mapping[str, int] | None = None,
) -> list[FieldView]:
    """The views of a step's fields, from stored answers or the posted form (see :func:`values_from_form`)."""
    views = []
    for spec in specs:
        value = values.get(spec.name)
        if spec.widget == "group":
            rows = list(value) if isinstance(value, list | tuple) else []
            wanted = max(len(rows), 1) + (extra_rows or {}).get(spec.name, 0)
            rows = rows[:wanted] + [{}] * (wanted - len(rows))
            view = FieldView(spec=spec, id=spec.name, name=spec.name, error=errors.get(spec.name))
            view.rows = [
                [
                    _simple_view(cell, f"{spec.name}-{index}-{cell.name}", (row or {}).get(cell.name), errors)
                    for cell in spec.rows
                ]
                for index, row in enumerate(rows)
            ]
            views.append(view)
            continue
        view = _simple_view(spec, spec.name, value, errors)
        view.readonly = spec.prefill is not None
        views.append(view)
    return views


def values_from_form(specs: list[FieldSpec], form: MultiDict[str, str]) -> dict[str, Any]:
    """What the person typed, exactly, to show it back on a page with errors."""
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.widget == "group":
            values[spec.name] = [
                {cell.name: _form_value(cell, form, f"{spec.name}-{index}-{cell.name}") for cell in spec.rows}
                for index in range(group_row_count(form, spec))
            ]
        elif spec.widget != "file":
            values[spec.name] = _form_value(spec, form, spec.name)
    return values


def _form_value(spec: FieldSpec, form: MultiDict[str, str], key: str) -> Any:
    if spec.widget == "checkbox":
        return form.getlist(key) if spec.multiple else key in form
    return form.get(key, "")


def display_value(spec: FieldSpec, value: Any, file_names: Mapping[str, str] | None = None) -> str:
    """An answer as the check page shows it: the choice's label, Yes/No, the file's name, a formatted
    amount, number or date (the SDK's formatting layer), or "Not given"."""
    if spec.widget == "checkbox" and not spec.multiple:
        return _("Yes") if value else _("No")
    if value is None or value == "" or value == []:
        return _("Not given")
    labels = {choice: str(text) for choice, text in spec.choices}
    if isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    if spec.widget == "file":
        return (file_names or {}).get(str(value)) or _("File uploaded")
    if not labels:
        formatted = _formatted(spec.type, value)
        if formatted is not None:
            return formatted
    return labels.get(_as_text(value), _as_text(value))


def _formatted(kind: str, value: Any) -> str | None:
    """An amount, number or date through the formatting layer; ``None`` when the value is not one."""
    try:
        if kind == "sar_amount":
            return format_amount(Decimal(_as_text(value)))
        if kind in ("integer", "number") and not isinstance(value, bool):
            return format_number(Decimal(_as_text(value)))
        if kind == "date_hijri":
            return format_hijri_date(_as_text(value))
        if kind == "date_gregorian":
            return format_date(_as_text(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return None


@dataclass
class SummaryRow:
    label: LocalText
    value: str
    rows: list[list[tuple[LocalText, str]]] = field(default_factory=list)


def summary_rows(
    specs: list[FieldSpec], data: Mapping[str, Any], file_names: Mapping[str, str] | None = None
) -> list[SummaryRow]:
    """The check page's rows for one step; ``file_names`` (document id -> name) names the files chosen."""
    rows = []
    for spec in specs:
        value = data.get(spec.name)
        if spec.widget == "group":
            items = value if isinstance(value, list) else []
            rows.append(
                SummaryRow(
                    spec.label,
                    "" if items else _("Not given"),
                    [
                        [(cell.label, display_value(cell, item.get(cell.name), file_names)) for cell in spec.rows]
                        for item in items
                    ],
                )
            )
        else:
            rows.append(SummaryRow(spec.label, display_value(spec, value, file_names)))
    return rows
