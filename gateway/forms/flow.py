"""The form's logic, without HTTP: which steps apply, reading a posted step, checking answers.

Kept apart from the views so that the JSON API can save and submit drafts
through exactly the same checks as the pages.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from werkzeug.datastructures import FileStorage, MultiDict

from bawaba_sdk.digits import normalize_digits
from bawaba_sdk.identity import PersonView
from bawaba_sdk.program import FormStep, Program, Service
from bawaba_sdk.validators.dates import HijriDate

from .declaration import FieldSpec, describe_schema
from .messages import translated_schema

MAX_TEXT_LENGTH = 2000
"""No single answer is longer than this, whatever the schema forgot to say."""

MAX_GROUP_ROWS = 50
"""A repeating group never grows beyond this many rows."""

FILES_KEY = "_files"
"""Where a draft keeps files uploaded on a step that is not yet valid (step slugs start with a letter)."""


@dataclass(frozen=True)
class ServiceRef:
    """A service with the program and plugin that declare it."""

    plugin: str
    program: Program
    service: Service


def find_service(program_slug: str, service_slug: str) -> ServiceRef | None:
    """The service if a serving plugin offers it with a declared form; else ``None``."""
    for record in current_app.extensions["gateway"].plugins.serving():
        if record.program is not None and record.program.slug == program_slug:
            service = record.program.service(service_slug)
            if service is not None and service.steps:
                return ServiceRef(record.name, record.program, service)
    return None


def step_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the steps' answers, without the engine's own bookkeeping keys."""
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def applicable_steps(service: Service, answers: Mapping[str, Any]) -> list[FormStep]:
    """The steps that apply given the answers so far (a step whose condition is false is skipped everywhere)."""
    given = step_answers(answers)
    return [step for step in service.steps if step.applies_to(given)]


def first_unanswered(service: Service, answers: Mapping[str, Any]) -> FormStep | None:
    return next((step for step in applicable_steps(service, answers) if step.slug not in answers), None)


def step_named(service: Service, slug: str) -> FormStep | None:
    return next((step for step in service.steps if step.slug == slug), None)


def specs_of(step: FormStep, answers: Mapping[str, Any] | None = None) -> list[FieldSpec]:
    """The step's fields; ``answers`` (the draft's) reach choices that depend on earlier steps."""
    return describe_schema(step.schema, answers=step_answers(answers or {}))


def json_safe(value: Any) -> Any:
    """What a JSON column can hold: dates and Hijri dates as ISO text, amounts as text."""
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, datetime.date | HijriDate):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.loads(json.dumps(value, default=str))


def prefill_value(schema: Schema, spec: FieldSpec, person: PersonView) -> Any:
    """The person's own value for a prefilled field, as the field would print it."""
    assert spec.prefill is not None
    value = getattr(person, spec.prefill)
    if value is None:
        return None
    return schema.fields[spec.name].serialize(spec.name, {spec.name: value})


def _text(form: MultiDict[str, str], key: str, spec: FieldSpec) -> str:
    value = form.get(key, "").strip()
    if spec.widget in ("number", "date_hijri", "date_gregorian") or spec.type in ("integer", "number"):
        value = normalize_digits(value)
    return value


def _read_simple(form: MultiDict[str, str], key: str, spec: FieldSpec) -> Any:
    """One field's raw answer from the form, or ``None`` when it was left empty."""
    if spec.widget == "checkbox":
        if spec.multiple:
            return [value for value in form.getlist(key) if value]
        return key in form and form.get(key) not in ("", "false", "0")
    value = _text(form, key, spec)
    return value if value != "" else None


def group_row_count(form: MultiDict[str, str], spec: FieldSpec, *, default: int = 1) -> int:
    try:
        count = int(form.get(f"{spec.name}-rows", default))
    except ValueError:
        count = default
    return max(0, min(count, MAX_GROUP_ROWS))


def _read_group(form: MultiDict[str, str], spec: FieldSpec) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for index in range(group_row_count(form, spec)):
        row: dict[str, Any] = {}
        for cell in spec.rows:
            value = _read_simple(form, f"{spec.name}-{index}-{cell.name}", cell)
            if value is not None and value is not False and value != []:
                row[cell.name] = value
        if row:  # a row left entirely blank is no row at all
            rows.append(row)
    return rows


UploadStore = Callable[[FieldSpec, FileStorage], str]
"""Keeps an uploaded file and returns what the answer holds (a document id or a file name)."""


def read_step(
    step: FormStep,
    specs: list[FieldSpec],
    form: MultiDict[str, str],
    files: MultiDict[str, FileStorage],
    *,
    person: PersonView,
    kept_files: Mapping[str, Any],
    store_upload: UploadStore,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The raw answers of one posted step, and errors found before the schema (too long, a refused file).

    Prefilled fields are never read from the form: they come from the person.
    """
    schema = step.schema()
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        if spec.prefill is not None:
            value = prefill_value(schema, spec, person)
            sent = form.get(spec.name)
            if sent is not None and sent.strip() != str(value):
                errors[spec.name] = _(
                    "This comes from your identity record and cannot be changed here. "
                    "Change it in your account instead."
                )
        elif spec.widget == "group":
            value = _read_group(form, spec)
        elif spec.widget == "file":
            upload = files.get(spec.name)
            value = kept_files.get(spec.name)
            if upload is not None and upload.filename:
                try:
                    value = store_upload(spec, upload)
                except UploadRefused as refused:
                    errors[spec.name] = refused.message
        else:
            value = _read_simple(form, spec.name, spec)
        if value is not None:
            raw[spec.name] = value
    for key, message in _too_long(raw, specs).items():
        errors.setdefault(key, message)
    return raw, errors


def _too_long(raw: Mapping[str, Any], specs: list[FieldSpec]) -> dict[str, str]:
    errors: dict[str, str] = {}
    message = _("Enter at most %(max)s characters.", max=MAX_TEXT_LENGTH)
    for spec in specs:
        value = raw.get(spec.name)
        if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
            errors[spec.name] = message
        elif spec.widget == "group" and isinstance(value, list):
            for index, row in enumerate(value):
                for cell, cell_value in row.items():
                    if isinstance(cell_value, str) and len(cell_value) > MAX_TEXT_LENGTH:
                        errors[f"{spec.name}-{index}-{cell}"] = message
    return errors


class UploadRefused(Exception):  # noqa: N818 - a refusal, not a bug
    """The uploaded file cannot be kept; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """Marshmallow's nested error dict as ``html-id -> first message`` (``crew-0-name``)."""
    flat: dict[str, str] = {}
    if isinstance(messages, list | tuple):
        if messages and all(isinstance(item, str) for item in messages):
            flat[prefix] = str(messages[0])
        else:
            for item in messages:
                for key, value in flatten_errors(item, prefix).items():
                    flat.setdefault(key, value)
        return flat
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = str(key) if key != "_schema" else ""
            child = f"{prefix}-{name}" if prefix and name else (prefix or name)
            for flat_key, flat_value in flatten_errors(value, child).items():
                flat.setdefault(flat_key, flat_value)
        return flat
    flat[prefix] = str(messages)
    return flat


def _not_offered(specs: list[FieldSpec], loaded: Mapping[str, Any]) -> dict[str, str]:
    """Values of fields with per-request choices that are not among the choices offered now."""
    errors: dict[str, str] = {}
    for spec in specs:
        if not spec.dynamic_choices or loaded.get(spec.name) is None:
            continue
        offered = {value for value, _label in spec.choices}
        value = loaded[spec.name]
        values = value if isinstance(value, list) else [value]
        if any(str(item) not in offered for item in values):
            errors[spec.name] = _("Choose one of the options listed.")
    return errors


def check_step(
    ref: ServiceRef,
    step: FormStep,
    specs: list[FieldSpec],
    raw: Mapping[str, Any],
    answers: Mapping[str, Any],
    person: PersonView,
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Load ``raw`` through the step's schema, then the owning plugin's ``gateway_validate_step``.

    Returns the JSON-safe answers of the step, or ``None`` with the errors by field id.
    """
    loaded, data, errors = load_step(step, specs, raw)
    if errors or loaded is None:
        return None, errors
    hooks = current_app.extensions["gateway"].plugins.hooks
    problems = hooks.validate_step(  # a plugin that raises: HookFailed, a 503 for the program (gateway/hooks.py)
        ref.plugin,
        program=ref.program,
        service=ref.service,
        step=step,
        data=loaded,
        answers=step_answers(answers),
        person=person,
    )
    if problems:
        return None, {str(name): str(message) for name, message in problems.items()}
    return data, {}


def load_step(
    step: FormStep, specs: list[FieldSpec], raw: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, str]]:
    """``raw`` through the step's schema (translated messages) and the choices offered now.

    Returns the loaded values, their JSON-safe dump, and the errors by field
    id; the owner's own checks come after (``gateway_validate_step`` for a
    service, the record's ``validate`` for a standing record).
    """
    schema = translated_schema(step.schema(), specs)
    try:
        loaded = schema.load(dict(raw))
    except ValidationError as error:
        return None, None, flatten_errors(error.messages)
    offered = _not_offered(specs, loaded)
    if offered:
        return None, None, offered
    return loaded, json_safe(schema.dump(loaded)), {}


def with_prefilled(
    step: FormStep, specs: list[FieldSpec], raw: Mapping[str, Any], person: PersonView
) -> dict[str, Any]:
    """Stored answers with every prefilled value replaced by the person's current one (checked again on submit)."""
    fresh = dict(raw)
    schema = step.schema()
    for spec in specs:
        if spec.prefill is not None:
            value = prefill_value(schema, spec, person)
            if value is None:
                fresh.pop(spec.name, None)
            else:
                fresh[spec.name] = value
    return fresh


def recheck_all(
    ref: ServiceRef, answers: Mapping[str, Any], person: PersonView
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Every applicable step checked again with the person's identity as it is now (done on submit).

    Stored prefilled values are replaced by the person's current ones, so a
    value tampered with anywhere on the way never reaches the application.
    """
    checked: dict[str, Any] = {}
    problems: dict[str, dict[str, str]] = {}
    for step in applicable_steps(ref.service, answers):
        specs = specs_of(step, answers)
        raw = with_prefilled(step, specs, answers.get(step.slug) or {}, person)
        data, errors = check_step(ref, step, specs, raw, {**answers, **checked}, person)
        if errors or data is None:
            problems[step.slug] = errors
        else:
            checked[step.slug] = data
    return checked, problems
