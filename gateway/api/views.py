"""The JSON API for mobile and partner apps: the same operations as the pages, for a token's person.

Every write goes through the forms engine's own checks (``read_step``,
``check_step``, ``recheck_all``) and the same submit path as the pages, so an
app can do exactly what the person could do in the browser, no more.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import Schema
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage, MultiDict

from bawaba_sdk.eligibility import failed_checks

from .. import applications, documents
from ..audit.denials import deny
from ..forms import Draft, draft_for, find_draft, form_schema_json, hold_for_submission
from ..forms.declaration import FieldSpec
from ..forms.drafts import save_step
from ..forms.eligibility import EligibilityUnknown, eligibility_checks
from ..forms.fees import FeeError
from ..forms.flow import (
    FILES_KEY,
    ServiceRef,
    UploadRefused,
    applicable_steps,
    check_step,
    find_service,
    first_unanswered,
    read_step,
    recheck_all,
    specs_of,
    step_named,
)
from ..forms.models import utc_now
from ..forms.submission import make_application
from ..identity.models import Person
from ..identity.people import as_view
from . import present
from .auth import caller, db, token_required
from .openapi import openapi_document
from .payloads import encode_step
from .schemas import (
    SUBMISSION_KEY_PATTERN,
    ApplicationListSchema,
    ApplicationSchema,
    DraftSchema,
    ProgramListSchema,
    ServiceFormSchema,
)
from .submission import application_by_key

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
openapi_blueprint = Blueprint("api_docs", __name__, url_prefix="/api")

NO_STORE = "no-store"


@api_blueprint.after_request
def _private(response: Response) -> Response:
    """Answers are one person's data: never cached by a proxy or kept by the app's HTTP cache."""
    response.headers["Cache-Control"] = NO_STORE
    return response


def _json(schema: Schema, value: Any, status: int = 200) -> Response:
    response = jsonify(schema.dump(value))
    response.status_code = status
    return response


def _problems(errors: dict[str, Any], status: int = 422) -> Response:
    response = jsonify(errors=errors)
    response.status_code = status
    return response


def _ineligible(ref: ServiceRef, person: Person) -> Response | None:
    """403 with every check (label, met, detail) when the person may not use the service; 503 when unknown."""
    try:
        checks = eligibility_checks(ref, as_view(person))
    except EligibilityUnknown:
        return _problems({"eligibility": _("The conditions cannot be checked now. Try again in a few minutes.")}, 503)
    if not failed_checks(checks):
        return None
    listed = [{"label": str(check.label), "met": check.passed, "detail": str(check.detail)} for check in checks]
    return _problems({"eligibility": listed}, 403)


def _service_or_404(program: str, service: str) -> ServiceRef:
    ref = find_service(program, service)
    if ref is None:
        abort(404)
    return ref


def _body() -> dict[str, Any]:
    """The request's JSON object; 400 when it is missing or not an object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


@api_blueprint.get("/programs")
@token_required
def list_programs() -> ResponseReturnValue:
    return _json(ProgramListSchema(), {"programs": present.programs()})


@api_blueprint.get("/programs/<program>/services/<service>/form")
@token_required
def service_form(program: str, service: str) -> ResponseReturnValue:
    return _json(ServiceFormSchema(), form_schema_json(_service_or_404(program, service).service))


@api_blueprint.get("/programs/<program>/services/<service>/draft")
@token_required
def get_draft(program: str, service: str) -> ResponseReturnValue:
    ref = _service_or_404(program, service)
    return _json(DraftSchema(), present.draft(ref, find_draft(db(), caller().id, program, service)))


@api_blueprint.put("/programs/<program>/services/<service>/draft")
@token_required
def put_draft_step(program: str, service: str) -> ResponseReturnValue:
    """Check and save one step, exactly as the step's page would; 422 with field errors otherwise."""
    ref = _service_or_404(program, service)
    body = _body()
    slug, data = body.get("step"), body.get("data")
    if not isinstance(data, dict):
        return _problems({"data": _("Send the step's answers as an object.")})
    step = step_named(ref.service, slug) if isinstance(slug, str) else None
    if step is None:
        return _problems({"step": _("This service has no such step.")})
    session = db()
    person = caller()
    refused = _ineligible(ref, person)
    if refused is not None:
        return refused
    found = find_draft(session, person.id, program, service)
    answers: dict[str, Any] = dict(found.answers) if found is not None else {}
    if step not in applicable_steps(ref.service, answers):
        return _problems({"step": _("This step does not apply to the answers saved so far.")})
    specs = specs_of(step, answers)
    form, sent_files, errors = encode_step(specs, data)
    errors.update(_foreign_documents(person.id, specs, sent_files, answers.get(step.slug, {})))
    person_view = as_view(person)
    if not errors:
        raw, errors = read_step(
            step,
            specs,
            form,
            MultiDict[str, FileStorage](),
            person=person_view,
            kept_files=sent_files,
            store_upload=_no_uploads,
        )
    checked = None
    if not errors:
        checked, errors = check_step(ref, step, specs, raw, answers, person_view)
    if errors or checked is None:
        return _problems(errors)
    draft = found if found is not None else draft_for(session, person.id, program, service)
    save_step(draft, step.slug, checked, now=utc_now())
    pending = {key: value for key, value in draft.answers.get(FILES_KEY, {}).items() if key != step.slug}
    draft.answers = {key: value for key, value in draft.answers.items() if key != FILES_KEY}
    if pending:
        draft.answers = {**draft.answers, FILES_KEY: pending}
    session.commit()
    return _json(DraftSchema(), present.draft(ref, draft))


def _no_uploads(spec: FieldSpec, upload: FileStorage) -> str:
    raise UploadRefused(_("Upload files on the portal's pages."))


def _foreign_documents(
    person_id: int, specs: list[FieldSpec], sent: dict[str, Any], saved: dict[str, Any]
) -> dict[str, str]:
    """A file field may only name one of the person's own documents not yet part of an application."""
    errors: dict[str, str] = {}
    for spec in specs:
        public_id = sent.get(spec.name)
        if public_id is None or public_id == saved.get(spec.name):
            continue
        document = documents.document_by_public_id(db(), str(public_id))
        if document is None or document.person_id != person_id or document.application_id is not None:
            errors[spec.name] = _("This is not one of your uploaded documents.")
    return errors


@api_blueprint.post("/programs/<program>/services/<service>/submit")
@token_required
def submit(program: str, service: str) -> ResponseReturnValue:
    """Make the application once per ``submission_key``; the same key again gets the first answer again.

    A repeat (a retry after a lost answer, a double tap) answers exactly as
    the first call did: 201, the same ``Location``, the application. The same
    key with different answers in the draft is a 422: a key names one set of
    answers. Two calls at once take turns on the draft (``hold_for_submission``).
    """
    ref = _service_or_404(program, service)
    key = _body().get("submission_key")
    if not isinstance(key, str) or re.fullmatch(SUBMISSION_KEY_PATTERN, key) is None:
        return _problems({"submission_key": _("Send a submission key of 8 to 64 letters, digits, “-” or “_”.")})
    session = db()
    person = caller()
    draft = find_draft(session, person.id, program, service)
    if draft is not None:
        draft = hold_for_submission(session, draft)  # a parallel call waits here until the first has committed
    done = _already_submitted(key, ref, person, draft)
    if done is not None:
        return done
    refused = _ineligible(ref, person)
    if refused is not None:
        return refused
    if draft is None or first_unanswered(ref.service, draft.answers) is not None:
        return _problems({"draft": _("Answer every step before sending the application.")}, status=409)
    checked, problems = recheck_all(ref, draft.answers, as_view(person))
    if problems:
        return _problems(problems)
    try:
        application = make_application(session, ref, person, checked, key)
    except (applications.WorkflowHookError, FeeError):
        session.rollback()  # the program refused or failed: nothing is kept, the draft stays
        abort(503)
    session.delete(draft)
    try:
        session.commit()
    except IntegrityError:  # the same key was committed by a parallel request
        session.rollback()
        done = _already_submitted(key, ref, person, None)
        if done is None:
            raise
        return done
    return _submitted(application)


def _submitted(application: applications.Application) -> Response:
    """The answer to a submit: 201, where the application lives, and the application (the same for a repeat)."""
    response = _json(ApplicationSchema(), present.application(db(), application), status=201)
    response.headers["Location"] = url_for("api.my_application", reference=application.reference)
    return response


def _already_submitted(key: str, ref: ServiceRef, person: Person, draft: Draft | None) -> Response | None:
    """The first answer again when ``key`` already made this application; 409 or 422 when it cannot be; else None.

    409: the key made someone else's application, or one of another service.
    422: the caller has a draft again, with answers other than the ones the
    key sent (a key names one set of answers).
    """
    found = application_by_key(db(), key)
    if found is None:
        return None
    if found.person_id != person.id or found.program != ref.program.slug or found.service != ref.service.slug:
        return _problems({"submission_key": _("This submission key was already used. Choose a new one.")}, 409)
    if draft is not None and not _same_answers(ref, person, draft, found):
        return _problems(
            {
                "submission_key": _(
                    "This submission key already sent other answers (application %(reference)s). "
                    "Send these answers with a new key.",
                    reference=found.reference,
                )
            }
        )
    return _submitted(found)


def _same_answers(ref: ServiceRef, person: Person, draft: Draft, found: applications.Application) -> bool:
    """Whether ``draft`` holds the answers ``found`` was made from (as checked, the way they were stored)."""
    checked, problems = recheck_all(ref, draft.answers, as_view(person))
    if problems:
        return False
    return bool(json.loads(json.dumps(checked, default=str)) == found.answers)


@api_blueprint.get("/applications")
@token_required
def my_applications() -> ResponseReturnValue:
    found = applications.applications_of(db(), caller().id)
    return _json(ApplicationListSchema(), {"applications": [present.application_summary(item) for item in found]})


@api_blueprint.get("/applications/<reference>")
@token_required
def my_application(reference: str) -> ResponseReturnValue:
    """Only the caller's own application; anyone else's is as unknown as a reference never issued."""
    canonical = applications.normalise_reference(reference)
    person_id = caller().id
    found = applications.application_for(db(), person_id, canonical) if canonical is not None else None
    if found is None:
        if canonical is not None and applications.application_exists(db(), canonical):
            deny("application", canonical, reason="another_persons", person_id=person_id, via="api")
        abort(404)
    return _json(ApplicationSchema(), present.application(db(), found))


@openapi_blueprint.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    """The OpenAPI document; public, because it describes the API and no one's data."""
    return jsonify(openapi_document())
