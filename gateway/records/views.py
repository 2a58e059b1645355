"""The pages of every standing record: its overview, a page per section, the confirm step.

URLs are ``/records/<program>/<name>/...``, for the signed-in person's own
record only (there is no owner in the URL, so nobody reaches another's). A
section is checked by the forms engine (schema, translated messages, choices
offered now) and then by the record's own ``validate``, and kept in the
draft as soon as it is right; a wrong one is shown again with what was typed
and a 400, and nothing saved before is touched. Confirming checks every
section again and makes a new version.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from bawaba_sdk.formatting import format_date
from bawaba_sdk.identity import PersonView
from bawaba_sdk.program import FormStep
from bawaba_sdk.registry import RegistryUnavailable

from ..forms.declaration import FieldSpec
from ..forms.flow import UploadRefused, load_step, prefill_value, read_step, specs_of, with_prefilled
from ..forms.pages import field_views, summary_rows, values_from_form
from ..identity.current import current_person_record
from ..identity.people import as_view
from ..identity.profile_views import signed_in
from .registry import RecordRef, record_or_404
from .store import MemberTaken, confirm, find_row, listed_elsewhere, row_for, save_section, versions_of, working_data

records_blueprint = Blueprint("records", __name__, url_prefix="/records")


class OwnerCheckFailed(Exception):  # noqa: N818 - a refusal, not a bug
    """The record's ``validate`` could not answer (an outside system away): try again later."""


def _db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def _person() -> PersonView:
    person = current_person_record()
    assert person is not None  # guarded by @signed_in
    return as_view(person)


def _overview_url(ref: RecordRef) -> str:
    return url_for("records.overview", program=ref.program.slug, name=ref.record.name)


def _section_url(ref: RecordRef, section: str) -> str:
    return url_for("records.section_page", program=ref.program.slug, name=ref.record.name, section=section)


def members_of(ref: RecordRef, data: dict[str, Any], person: PersonView) -> list[str]:
    """The ID numbers the record covers: the head's own for a household, and the declared members."""
    found = [person.id_number] if ref.record.owner == "household" else []
    if ref.record.members is not None:
        found += [str(item) for item in ref.record.members(data) if item]
    return found


def owner_checks(
    ref: RecordRef, section: FormStep, data: dict[str, Any], record_data: dict[str, Any], person: PersonView
) -> dict[str, str]:
    """The record's own ``validate`` for one section, as messages by field id."""
    if ref.record.validate is None:
        return {}
    try:
        problems = ref.record.validate(section.slug, data, record_data, person)
    except RegistryUnavailable as exc:
        raise OwnerCheckFailed from exc
    return {str(key): str(message) for key, message in (problems or {}).items()}


def _taken_message(ref: RecordRef, id_numbers: list[str]) -> str:
    return _(
        "%(ids)s is already listed in another person's %(record)s. A person can be in only one.",
        ids=", ".join(id_numbers),
        record=str(ref.record.title),
    )


@records_blueprint.get("/<program>/<name>/")
@signed_in
def overview(program: str, name: str) -> ResponseReturnValue:
    """Every section with what it holds, the confirm button when all are answered, and the versions."""
    ref = record_or_404(program, name)
    return _render_overview(ref, {})


def _render_overview(ref: RecordRef, errors: dict[str, str], status: int = 200) -> ResponseReturnValue:
    db = _db()
    row = find_row(db, ref.program.slug, ref.record.name, _person().id)
    data = working_data(db, row) if row is not None else {}
    sections = [
        {
            "step": section,
            "answered": section.slug in data,
            "rows": summary_rows(specs_of(section, data), data.get(section.slug, {})) if section.slug in data else [],
            "change_url": _section_url(ref, section.slug),
        }
        for section in ref.record.applicable_sections(data)
    ]
    versions = versions_of(db, row) if row is not None else []
    return (
        render_template(
            "records/overview.html",
            ref=ref,
            program=ref.program,
            record=ref.record,
            sections=sections,
            pending=row is not None and row.draft is not None,
            complete=all(section["answered"] for section in sections),
            versions=_version_lines(ref, versions),
            errors=errors,
        ),
        status,
    )


def _version_lines(ref: RecordRef, versions: list[Any]) -> list[dict[str, Any]]:
    """Each version's number, day and what it changed, in words."""
    labels = _field_labels(ref)
    return [
        {
            "number": version.number,
            "day": format_date(version.created_at.date()),
            "changes": "; ".join(labels.get(key, key) for key in version.changed),
        }
        for version in versions
    ]


def _field_labels(ref: RecordRef) -> dict[str, str]:
    """``section.field`` -> "Section: Field", to say in words what each version changed."""
    labels: dict[str, str] = {}
    for section in ref.record.sections:
        for spec in specs_of(section, {}):
            labels[f"{section.slug}.{spec.name}"] = f"{section.title}: {spec.label}"
    return labels


@records_blueprint.route("/<program>/<name>/<section>", methods=["GET", "POST"])
@signed_in
def section_page(program: str, name: str, section: str) -> ResponseReturnValue:
    ref = record_or_404(program, name)
    step = ref.record.section(section)
    if step is None:
        abort(404)
    db = _db()
    person = _person()
    row = find_row(db, program, name, person.id)
    data = working_data(db, row) if row is not None else {}
    if step not in ref.record.applicable_sections(data):
        return redirect(_overview_url(ref), code=303)
    specs = specs_of(step, data)
    prefilled = {spec.name: prefill_value(step.schema(), spec, person) for spec in specs if spec.prefill is not None}
    if request.method == "GET":
        return _render_section(ref, step, specs, {**data.get(section, {}), **prefilled}, {}, data)

    added = next((s.name for s in specs if s.widget == "group" and f"add_{s.name}" in request.form), None)
    if added is not None:  # "add another" without JavaScript: the same page with one more row
        values = {**values_from_form(specs, request.form), **prefilled}
        return _render_section(ref, step, specs, values, {}, data, extra_rows={added: 1})

    def no_files(spec: FieldSpec, upload: FileStorage) -> str:
        raise UploadRefused(_("Files cannot be attached to this record."))

    raw, errors = read_step(
        step, specs, request.form, request.files, person=person, kept_files={}, store_upload=no_files
    )
    checked: dict[str, Any] | None = None
    if not errors:
        _loaded, checked, errors = load_step(step, specs, raw)
    if not errors and checked is not None:
        errors = _section_problems(ref, step, checked, data, person)
    if errors or checked is None:
        values = {**values_from_form(specs, request.form), **prefilled}
        return _render_section(ref, step, specs, values, errors, data, status=400)
    row = row if row is not None else row_for(db, program, name, person.id)
    save_section(db, row, section, checked)
    db.commit()
    saved = row.draft or {}
    following = next((s for s in ref.record.applicable_sections(saved) if s.slug not in saved), None)
    flash(_("“%(section)s” is saved.", section=str(step.title)), "success")
    return redirect(_section_url(ref, following.slug) if following is not None else _overview_url(ref), code=303)


def _section_problems(
    ref: RecordRef, step: FormStep, checked: dict[str, Any], data: dict[str, Any], person: PersonView
) -> dict[str, str]:
    try:
        problems = owner_checks(ref, step, checked, data, person)
    except OwnerCheckFailed:
        abort(503)
    if problems:
        return problems
    db = _db()
    row = find_row(db, ref.program.slug, ref.record.name, person.id)
    members = members_of(ref, {**data, step.slug: checked}, person)
    taken = listed_elsewhere(db, ref.program.slug, ref.record.name, row.id if row is not None else None, members)
    if taken:
        return {f"form-{step.slug}": _taken_message(ref, taken)}
    return {}


def _render_section(
    ref: RecordRef,
    step: FormStep,
    specs: list[FieldSpec],
    values: dict[str, Any],
    errors: dict[str, str],
    data: dict[str, Any],
    *,
    extra_rows: dict[str, int] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    fields = field_views(specs, values, errors, extra_rows=extra_rows)
    known_ids = {view.id for view in fields} | {cell.id for view in fields for row in view.rows for cell in row}
    summary = {(key if key in known_ids else f"form-{step.slug}"): message for key, message in errors.items()}
    sections = ref.record.applicable_sections(data)
    return (
        render_template(
            "records/section.html",
            ref=ref,
            program=ref.program,
            record=ref.record,
            step=step,
            fields=fields,
            errors=summary,
            position=sections.index(step) + 1 if step in sections else 1,
            total=len(sections),
            overview_url=_overview_url(ref),
        ),
        status,
    )


@records_blueprint.post("/<program>/<name>/confirm")
@signed_in
def confirm_record(program: str, name: str) -> ResponseReturnValue:
    """Check every section again (identity as it is now) and make the next version."""
    ref = record_or_404(program, name)
    db = _db()
    person = _person()
    row = find_row(db, program, name, person.id)
    if row is None or row.draft is None:
        flash(_("There is nothing new to confirm."), "info")
        return redirect(_overview_url(ref), code=303)
    draft = dict(row.draft)
    checked: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for section in ref.record.applicable_sections(draft):
        if section.slug not in draft:
            errors[f"change-{section.slug}"] = _("Fill in “%(section)s” first.", section=str(section.title))
            continue
        specs = specs_of(section, draft)
        _loaded, data, problems = load_step(section, specs, with_prefilled(section, specs, draft[section.slug], person))
        if not problems and data is not None:
            try:
                problems = owner_checks(ref, section, data, {**draft, **checked}, person)
            except OwnerCheckFailed:
                abort(503)
        if problems or data is None:
            message = next(iter(problems.values()), "")
            errors[f"change-{section.slug}"] = _(
                "Check “%(section)s”: %(problem)s", section=str(section.title), problem=message
            )
        else:
            checked[section.slug] = data
    if errors:
        return _render_overview(ref, errors, status=400)
    try:
        confirm(db, row, checked, f"person:{person.id}", members_of(ref, checked, person))
    except MemberTaken as taken:
        db.rollback()
        return _render_overview(ref, {"confirm": _taken_message(ref, taken.id_numbers)}, status=409)
    db.commit()
    flash(_("Your %(record)s is confirmed.", record=str(ref.record.title)), "success")
    return redirect(_overview_url(ref), code=303)
