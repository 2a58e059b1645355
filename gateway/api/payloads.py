"""A step's JSON answers, turned into what the pages post, so both go through the same checks.

The forms engine reads a step from form fields (``read_step``): prefilled
fields come from the person, digits are normalised, over-long text is
refused, and only then does the step's schema load the answers. Encoding a
JSON body as those form fields, rather than loading it directly, means an
app can never get past a rule the pages enforce. What cannot be encoded (an
object where text is expected, a field the step does not have) is refused
here with a translated message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..forms.declaration import FieldSpec
from ..forms.flow import MAX_GROUP_ROWS


def _wrong_type() -> str:
    return _("This answer has the wrong type.")


def _choice_value(item: Any) -> bool:
    """A value a multiple-choice box can carry: text or a whole number, never ``true``."""
    return isinstance(item, str | int) and not isinstance(item, bool)


def _scalar_text(value: Any) -> str | None:
    """The text a form would carry for ``value``; ``None`` for a type no form field can hold."""
    if isinstance(value, bool):
        return "y" if value else ""
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _add_simple(form: MultiDict[str, str], key: str, spec: FieldSpec, value: Any) -> str | None:
    """Add one field's value under ``key``; return an error message when it cannot be."""
    if value is None:
        return None
    if spec.widget == "checkbox" and spec.multiple:
        if not isinstance(value, list) or not all(_choice_value(item) for item in value):
            return _wrong_type()
        for item in value:
            form.add(key, str(item))
        return None
    if spec.widget == "checkbox":
        if isinstance(value, bool):
            if value:
                form.add(key, "y")
            return None
        if isinstance(value, str):
            form.add(key, value)
            return None
        return _wrong_type()
    text = _scalar_text(value)
    if text is None or isinstance(value, bool):
        return _wrong_type()
    form.add(key, text)
    return None


def _add_group(form: MultiDict[str, str], spec: FieldSpec, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
        return {spec.name: _wrong_type()}
    if len(value) > MAX_GROUP_ROWS:
        return {spec.name: _("Enter at most %(max)s entries.", max=MAX_GROUP_ROWS)}
    errors: dict[str, str] = {}
    cells = {cell.name: cell for cell in spec.rows}
    form.add(f"{spec.name}-rows", str(len(value)))
    for index, row in enumerate(value):
        for name, cell_value in row.items():
            key = f"{spec.name}-{index}-{name}"
            cell = cells.get(str(name))
            if cell is None:
                errors[key] = _("This field is not part of this step.")
                continue
            problem = _add_simple(form, key, cell, cell_value)
            if problem is not None:
                errors[key] = problem
    return errors


def encode_step(
    specs: list[FieldSpec], data: Mapping[str, Any]
) -> tuple[MultiDict[str, str], dict[str, Any], dict[str, str]]:
    """The form fields for ``data``, the file fields' values (document ids), and the errors found on the way.

    Values sent for prefilled fields are ignored, exactly as on the pages.
    """
    form: MultiDict[str, str] = MultiDict()
    files: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {spec.name: spec for spec in specs}
    for name in data:
        if name not in known:
            errors[str(name)] = _("This field is not part of this step.")
    for spec in specs:
        value = data.get(spec.name)
        if spec.prefill is not None:
            continue
        if spec.widget == "file":
            if value is not None and not isinstance(value, str):
                errors[spec.name] = _wrong_type()
            elif value:
                files[spec.name] = value
        elif spec.widget == "group":
            errors.update(_add_group(form, spec, value))
        else:
            problem = _add_simple(form, spec.name, spec, value)
            if problem is not None:
                errors[spec.name] = problem
    return form, files, errors
