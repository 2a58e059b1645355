"""The pages of every declared form: start, one page per step, check your answers, done.

URLs are ``/apply/<program>/<service>/...``. Every page needs a signed-in
person; every change is saved in the person's draft on the server before
the response leaves, so closing the browser loses nothing.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from bawaba_sdk.formatting import format_amount

from .. import applications, documents
from ..audit.denials import deny
from ..identity.current import current_person_record
from ..identity.models import Person
from ..identity.people import as_view
from ..identity.profile_views import signed_in
from ..payments import service as payments
from .declaration import FieldSpec
from .drafts import draft_for, find_draft, hold_for_submission, save_step
from .eligibility import EligibilityUnknown, eligibility_checks, refusal_page
from .fees import FeeError, application_fee
from .flow import (
    FILES_KEY,
    ServiceRef,
    UploadRefused,
    applicable_steps,
    check_step,
    find_service,
    first_unanswered,
    prefill_value,
    read_step,
    recheck_all,
    specs_of,
    step_named,
)
from .models import Draft, utc_now
from .pages import field_views, summary_rows, values_from_form
from .submission import make_application

forms_blueprint = Blueprint("forms", __name__, url_prefix="/apply")


def _db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def _person() -> Person:
    person = current_person_record()
    assert person is not None  # guarded by @signed_in
    return person


def _service_or_404(program: str, service: str) -> ServiceRef:
    ref = find_service(program, service)
    if ref is None:
        abort(404)
    return ref


def _step_url(ref: ServiceRef, step: str) -> str:
    return url_for("forms.step_page", program=ref.program.slug, service=ref.service.slug, step=step)


def _check_url(ref: ServiceRef) -> str:
    return url_for("forms.check_page", program=ref.program.slug, service=ref.service.slug)


def _next_url(ref: ServiceRef, answers: dict[str, Any]) -> str:
    step = first_unanswered(ref.service, answers)
    return _step_url(ref, step.slug) if step is not None else _check_url(ref)


@forms_blueprint.get("/<program>/<service>/")
@signed_in
def start(program: str, service: str) -> ResponseReturnValue:
    """Start the person's draft of the service, or resume it where they stopped."""
    ref = _service_or_404(program, service)
    refused = refusal_page(ref, as_view(_person()))
    if refused is not None:
        return refused
    db = _db()
    draft = draft_for(db, _person().id, program, service)
    db.commit()
    return redirect(_next_url(ref, draft.answers), code=303)


@forms_blueprint.route("/<program>/<service>/<step>", methods=["GET", "POST"])
@signed_in
def step_page(program: str, service: str, step: str) -> ResponseReturnValue:
    ref = _service_or_404(program, service)
    form_step = step_named(ref.service, step)
    if form_step is None:
        abort(404)
    db = _db()
    person = _person()
    refused = refusal_page(ref, as_view(person))
    if refused is not None:
        return refused
    draft = find_draft(db, person.id, program, service)
    answers: dict[str, Any] = dict(draft.answers) if draft is not None else {}
    applicable = applicable_steps(ref.service, answers)
    if form_step not in applicable:
        return redirect(_next_url(ref, answers), code=303)
    specs = specs_of(form_step, answers)
    person_view = as_view(person)
    prefilled = _prefilled(form_step.schema(), specs, person_view)

    if request.method == "GET":
        values = {**answers.get(step, {}), **prefilled}
        return _render_step(ref, form_step, specs, values, {}, applicable, answers)

    added = _added_row(specs)
    if added is not None:  # "add another" without JavaScript: show the same page with one more row
        values = {**values_from_form(specs, request.form), **prefilled}
        return _render_step(ref, form_step, specs, values, {}, applicable, answers, extra_rows={added: 1})

    draft = draft if draft is not None else draft_for(db, person.id, program, service)
    kept_files = {**answers.get(FILES_KEY, {}).get(step, {}), **_files_of(answers.get(step, {}), specs)}

    def store(spec: FieldSpec, upload: FileStorage) -> str:
        return _store_upload(db, person.id, ref, step, spec, upload)

    raw, errors = read_step(
        form_step, specs, request.form, request.files, person=person_view, kept_files=kept_files, store_upload=store
    )
    uploaded = {spec.name: raw[spec.name] for spec in specs if spec.widget == "file" and spec.name in raw}
    data = None
    if not errors:
        data, errors = check_step(ref, form_step, specs, raw, answers, person_view)
    if errors or data is None:
        if uploaded != kept_files:  # keep a new file even though the page must be corrected
            files = dict(answers.get(FILES_KEY, {}))
            files[step] = uploaded
            draft.answers = {**draft.answers, FILES_KEY: files}
            db.commit()
        values = {**values_from_form(specs, request.form), **uploaded, **prefilled}
        return _render_step(ref, form_step, specs, values, errors, applicable, answers, status=400)

    save_step(draft, step, data, now=utc_now())
    pending = {slug: files for slug, files in draft.answers.get(FILES_KEY, {}).items() if slug != step}
    draft.answers = {key: value for key, value in draft.answers.items() if key != FILES_KEY}
    if pending:  # files kept for other steps that still need correcting
        draft.answers = {**draft.answers, FILES_KEY: pending}
    db.commit()
    return redirect(_next_url(ref, draft.answers), code=303)


def _prefilled(schema: Any, specs: list[FieldSpec], person: Any) -> dict[str, Any]:
    return {spec.name: prefill_value(schema, spec, person) for spec in specs if spec.prefill is not None}


def _files_of(step_answers: dict[str, Any], specs: list[FieldSpec]) -> dict[str, Any]:
    return {
        spec.name: step_answers[spec.name]
        for spec in specs
        if spec.widget == "file" and step_answers.get(spec.name) is not None
    }


def _added_row(specs: list[FieldSpec]) -> str | None:
    for spec in specs:
        if spec.widget == "group" and f"add_{spec.name}" in request.form:
            return spec.name
    return None


def _store_upload(db: Session, person_id: int, ref: ServiceRef, step: str, spec: FieldSpec, upload: FileStorage) -> str:
    """Store the file through the documents part; the draft keeps its public id."""
    purpose = f"{ref.program.slug}.{ref.service.slug}.{step}.{spec.name}"
    try:
        document = documents.store_upload(db, person_id=person_id, file_storage=upload, purpose=purpose)
    except documents.DocumentRejected as rejected:
        raise UploadRefused(str(rejected)) from rejected
    return str(document.public_id)


def _render_step(
    ref: ServiceRef,
    step: Any,
    specs: list[FieldSpec],
    values: dict[str, Any],
    errors: dict[str, str],
    applicable: list[Any],
    answers: dict[str, Any],
    *,
    extra_rows: dict[str, int] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    position = applicable.index(step)
    previous = applicable[position - 1] if position > 0 else None
    fields = field_views(specs, values, errors, extra_rows=extra_rows)
    known_ids = {view.id for view in fields} | {cell.id for view in fields for row in view.rows for cell in row}
    summary = {(key if key in known_ids else f"form-{step.slug}"): message for key, message in errors.items()}
    return (
        render_template(
            "forms/step.html",
            ref=ref,
            program=ref.program,
            service=ref.service,
            step=step,
            fields=fields,
            errors=summary,
            position=position + 1,
            total=len(applicable),
            back_url=_step_url(ref, previous.slug) if previous is not None else None,
            has_files=any(spec.widget == "file" for spec in specs),
            all_answered=first_unanswered(ref.service, answers) is None,
            checks=_conditions_met(ref) if position == 0 else [],
        ),
        status,
    )


@forms_blueprint.route("/<program>/<service>/check", methods=["GET", "POST"])
@signed_in
def check_page(program: str, service: str) -> ResponseReturnValue:
    ref = _service_or_404(program, service)
    db = _db()
    person = _person()
    draft = find_draft(db, person.id, program, service)
    if request.method == "POST":
        return _submit(ref, db, person, draft)
    refused = refusal_page(ref, as_view(person))
    if refused is not None:
        return refused
    if draft is None:
        return redirect(url_for("forms.start", program=program, service=service), code=303)
    unanswered = first_unanswered(ref.service, draft.answers)
    if unanswered is not None:
        return redirect(_step_url(ref, unanswered.slug), code=303)
    if draft.submission_key is None:
        draft.submission_key = secrets.token_urlsafe(32)
        db.commit()
    return _render_check(ref, draft, {})


def _render_check(ref: ServiceRef, draft: Draft, problems: dict[str, dict[str, str]], status: int = 200) -> Any:
    fee = _fee_to_show(ref, draft)
    names = _file_names(draft)
    sections = [
        {
            "step": step,
            "rows": summary_rows(specs_of(step, draft.answers), draft.answers.get(step.slug, {}), names),
            "change_url": _step_url(ref, step.slug),
        }
        for step in applicable_steps(ref.service, draft.answers)
    ]
    errors = {
        f"change-{slug}": _("Check your answers to “%(step)s”: %(problem)s", step=_title(ref, slug), problem=message)
        for slug, step_errors in problems.items()
        for message in list(step_errors.values())[:1]
    }
    return (
        render_template(
            "forms/check.html",
            ref=ref,
            program=ref.program,
            service=ref.service,
            sections=sections,
            submission_key=draft.submission_key,
            errors=errors,
            fee=fee,
            fee_text=format_amount(fee) if fee is not None else "",
        ),
        status,
    )


def _file_names(draft: Draft) -> dict[str, str]:
    """Document id -> file name, for the files this person chose in this draft (anyone else's stay unnamed)."""
    names: dict[str, str] = {}
    db = _db()
    for step_answers in draft.answers.values():
        if not isinstance(step_answers, dict):
            continue
        for value in step_answers.values():
            for candidate in value if isinstance(value, list) else [value]:
                if not isinstance(candidate, str) or not candidate or len(candidate) > 64 or candidate in names:
                    continue
                document = documents.document_by_public_id(db, candidate)
                if document is not None and document.person_id == draft.person_id:
                    names[candidate] = document.original_name
    return names


def _fee_to_show(ref: ServiceRef, draft: Draft) -> Any:
    """The fee these answers will be billed, for the person to agree to before sending."""
    try:
        return application_fee(ref, draft.answers, as_view(_person()))
    except FeeError:
        return None


def _conditions_met(ref: ServiceRef) -> list[Any]:
    """The checks the person passed, listed on the first page (the gate already let them in)."""
    try:
        return eligibility_checks(ref, as_view(_person()))
    except EligibilityUnknown:
        return []


def _title(ref: ServiceRef, slug: str) -> str:
    step = step_named(ref.service, slug)
    return str(step.title) if step is not None else slug


def _submit(ref: ServiceRef, db: Session, person: Person, draft: Draft | None) -> ResponseReturnValue:
    """Make the application once, whatever the number of clicks: the key decides, and every click lands on it."""
    key = request.form.get("submission_key", "")
    if draft is not None:
        draft = hold_for_submission(db, draft)  # a parallel click waits here until the first has committed
    done = _already_submitted(db, person, key)
    if done is not None:
        return done
    refused = refusal_page(ref, as_view(person))
    if refused is not None:
        return refused
    if draft is None:
        return redirect(url_for("forms.start", program=ref.program.slug, service=ref.service.slug), code=303)
    if not key or key != draft.submission_key:
        flash(_("Your answers changed since this page was shown. Check them again, then send them."), "warning")
        return redirect(_check_url(ref), code=303)
    checked, problems = recheck_all(ref, draft.answers, as_view(person))
    if problems:
        return _render_check(ref, draft, problems, status=400)
    try:
        application = make_application(db, ref, person, checked, key)
    except (applications.WorkflowHookError, FeeError):
        # The program refused or failed: nothing is kept, the draft stays, the person can try again.
        db.rollback()
        abort(503)
    db.delete(draft)
    try:
        db.commit()
    except IntegrityError:  # the same key was committed by a parallel request
        db.rollback()
        done = _already_submitted(db, person, key)
        if done is None:
            raise
        return done
    return redirect(_done_url(ref, application.reference), code=303)


def _done_url(ref: ServiceRef, reference: str) -> str:
    return url_for("forms.done_page", program=ref.program.slug, service=ref.service.slug, reference=reference)


def _already_submitted(db: Session, person: Person, key: str) -> ResponseReturnValue | None:
    if not key:
        return None
    model = applications.Application
    found = db.scalars(select(model).where(model.submission_key == key, model.person_id == person.id)).first()
    if found is None:
        return None
    return redirect(
        url_for("forms.done_page", program=found.program, service=found.service, reference=found.reference), code=303
    )


@forms_blueprint.get("/<program>/<service>/done/<reference>")
@signed_in
def done_page(program: str, service: str, reference: str) -> ResponseReturnValue:
    ref = _service_or_404(program, service)
    person = _person()
    application = applications.application_for(_db(), person.id, reference)
    if application is None and applications.application_exists(_db(), reference):
        deny("application", reference, reason="another_persons", person_id=person.id)
    if application is None or application.program != program or application.service != service:
        abort(404)
    return render_template(
        "forms/done.html",
        ref=ref,
        program=ref.program,
        service=ref.service,
        application=application,
        bills=payments.bills_of_application(_db(), application.id),
    )
