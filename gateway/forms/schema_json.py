"""A service's form as JSON, for the API: the same declaration that drives the pages."""

from __future__ import annotations

from typing import Any

from bawaba_sdk.i18n import text_in_all_languages
from bawaba_sdk.program import Service

from .declaration import FieldSpec, describe_schema


def _field_json(spec: FieldSpec) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": spec.name,
        "type": spec.type,
        "widget": spec.widget,
        "required": spec.required,
        "label": text_in_all_languages(spec.label),
        "help": text_in_all_languages(spec.help) if spec.help is not None else None,
        "choices": [{"value": value, "label": text_in_all_languages(text)} for value, text in spec.choices],
        "prefill": spec.prefill,
        "read_only": spec.prefill is not None,
        "max_length": spec.max_length,
    }
    if spec.widget == "group":
        described["fields"] = [_field_json(cell) for cell in spec.rows]
    return described


def form_schema_json(service: Service) -> dict[str, Any]:
    """Steps and fields of ``service``: type, required, label in both languages, choices, widget, prefill.

    Needs an app context (labels are translated into every language). A
    conditional step is marked ``conditional``; the API evaluates the
    condition on the saved answers, as the pages do.
    """
    return {
        "service": service.slug,
        "name": text_in_all_languages(service.name),
        "steps": [
            {
                "slug": step.slug,
                "title": text_in_all_languages(step.title),
                "conditional": step.condition is not None,
                "fields": [_field_json(spec) for spec in describe_schema(step.schema)],
            }
            for step in service.steps
        ],
    }
