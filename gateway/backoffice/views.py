"""The staff pages of one program: the queue, an application, its documents, and the actions on it.

Every page names its program in the address and sits behind
:func:`staff_required`, and every lookup goes through :mod:`.queue`, which
only ever finds that program's applications; a reference or document of
another program is a 404 exactly like an unknown one. Every action is a POST
with a CSRF token, goes through the workflow for the ``staff`` kind of actor,
and is written to the audit log in the same transaction as the change.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wsgi import wrap_file

from bawaba_sdk.applications import NEEDS_INFORMATION, REJECTED
from bawaba_sdk.digits import strip_invisibles
from bawaba_sdk.program import Program, Transition
from bawaba_sdk.validators import format_sar

from ..applications.display import answer_sections, event_comment, extra_rows, local_time, summarise
from ..applications.models import STAFF, Application
from ..applications.service import (
    ApplicationError,
    WorkflowHookError,
    add_message,
    application_exists,
    program_named,
    transition,
)
from ..applications.workflow import TransitionNotAllowed, service_workflow
from ..audit.denials import deny
from ..audit.log import record
from ..documents.models import Document
from ..documents.names import content_disposition, download_name
from ..documents.service import current_storage, document_by_public_id, documents_of_application
from ..documents.storage import InvalidStorageKeyError
from ..i18n import language_code
from ..identity.models import Person
from ..identity.people import as_view
from ..messaging.models import utc_now
from ..payments.adapter import SANDBOX
from ..payments.models import Bill
from ..payments.service import PaymentError, bills_of_application, mark_paid
from ..payments.views import STATUS_LABELS
from .access import db, signed_in_staff, staff_required
from .blueprint import backoffice_blueprint
from .models import SUPERVISOR, ApplicationAssignment, StaffAccount, StaffRole
from .queue import (
    BadFilterError,
    QueueFilters,
    assignees_by_application,
    assignment_of,
    parse_filters,
    program_application,
    program_queue,
)

logger = logging.getLogger("gateway.backoffice")

MAX_COMMENT_LENGTH = 2000
PUBLIC_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,32}")
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
COMMENT_REQUIRED = (REJECTED, NEEDS_INFORMATION)
HOOK_FAILED = _l("The program could not take this change right now. Nothing was saved; please try again later.")


def _program_or_404(slug: str) -> Program:
    program = program_named(slug)
    if program is None:
        abort(404)
    return program


def _scope(program: str) -> str | None:
    """The one scope (an office) the signed-in staff member is limited to in ``program``, if any."""
    return signed_in_staff().scope_in(program)


def _application_or_404(program: str, reference: str) -> Application:
    scope = _scope(program)
    application = program_application(db(), program, reference, scope)
    if application is None:
        if scope is not None and program_application(db(), program, reference, None) is not None:
            deny("application", reference, reason="outside_their_office", actor=_actor(), program=program)
        if application_exists(db(), reference):
            deny("application", reference, reason="outside_the_program", actor=_actor(), program=program)
        abort(404)
    return application


def _actor() -> str:
    return f"staff:{signed_in_staff().id}"


def _audit(event: str, application: Application, **details: Any) -> None:
    record(
        db(),
        f"backoffice.{event}",
        actor=_actor(),
        person_id=application.person_id,
        reference=application.reference,
        program=application.program,
        **details,
    )


def _workflow_states(program: Program) -> dict[str, Any]:
    """Every state the program's services know, slug -> label (for the queue's filter)."""
    states: dict[str, Any] = {}
    for service in program.services:
        for state in service_workflow(service).states:
            states.setdefault(state.slug, state.label)
    return states


def _program_staff(program: str, scope: str | None) -> list[StaffAccount]:
    """Active staff of ``program`` who may see an application with ``scope`` (unscoped staff see all)."""
    query = select(StaffAccount).join(StaffRole).where(StaffRole.program == program, StaffAccount.active.is_(True))
    query = query.where(StaffRole.scope.is_(None) | (StaffRole.scope == scope))
    return list(db().scalars(query.order_by(StaffAccount.username)).all())


@backoffice_blueprint.get("/")
@staff_required()
def home() -> ResponseReturnValue:
    staff = signed_in_staff()
    programs = [(role, program_named(role.program)) for role in staff.roles]
    return render_template("backoffice/home.html", staff=staff, programs=programs)


@backoffice_blueprint.get("/<program>/queue")
@staff_required()
def queue(program: str) -> ResponseReturnValue:
    declared = _program_or_404(program)
    states = _workflow_states(declared)
    args = {key: request.args.get(key, "")[:64] for key in ("state", "date_from", "date_to", "reference", "page")}
    errors: dict[str, str] = {}
    try:
        filters = parse_filters(args, set(states))
    except BadFilterError as bad:
        errors[bad.field] = str(FILTER_ERRORS[bad.field])
        filters = QueueFilters()
    result = program_queue(db(), program, filters, _scope(program))
    assignees = assignees_by_application(db(), [application.id for application in result.applications])
    person_ids = {application.person_id for application in result.applications}
    applicants = {
        person.id: as_view(person)
        for person in (db().scalars(select(Person).where(Person.id.in_(person_ids))).all() if person_ids else [])
    }
    return render_template(
        "backoffice/queue.html",
        program=declared,
        states=states,
        args=args,
        errors=errors,
        result=result,
        summaries=[summarise(application) for application in result.applications],
        assignees=assignees,
        applicants=applicants,
        local_time=local_time,
    ), (400 if errors else 200)


FILTER_ERRORS = {
    "state": _l("Choose a status from the list."),
    "date_from": _l("Enter a date like 2026-01-31."),
    "date_to": _l("Enter a date like 2026-01-31."),
    "reference": _l("Enter a reference number like MSN-7KQ2X9PB."),
    "page": _l("This page does not exist."),
}


def _role_may(move: Transition, program: str) -> bool:
    """Whether the signed-in staff member's role in ``program`` may make ``move`` (its ``roles``, if any)."""
    return not move.roles or signed_in_staff().role_in(program) in move.roles


def _page(application: Application, program: Program, *, status: int = 200, **context: Any) -> ResponseReturnValue:
    documents = documents_of_application(db(), application.id)
    summary = summarise(application)
    context.setdefault("errors", {})
    context.setdefault("comment", "")
    staff_ids = {int(event.actor.split(":", 1)[1]) for event in application.events if _is_staff_actor(event.actor)}
    names = {
        account.id: account.full_name
        for account in db().scalars(select(StaffAccount).where(StaffAccount.id.in_(staff_ids))).all()
    }
    staff = signed_in_staff()
    assignment = assignment_of(db(), application.id)
    person = db().get(Person, application.person_id)
    return render_template(
        "backoffice/application.html",
        applicant=as_view(person) if person is not None else None,
        program=program,
        application=application,
        summary=summary,
        sections=answer_sections(application, {document.public_id: document.original_name for document in documents}),
        extra_rows=extra_rows(application),
        event_comment=event_comment,
        documents=documents,
        bills=bills_of_application(db(), application.id),
        bill_amount=_bill_amount,
        bill_status=_bill_status,
        sandbox_payments=getattr(current_app.extensions["gateway.payments"], "name", None) == SANDBOX,
        moves=[move for move in summary.workflow.allowed(application.state, STAFF) if _role_may(move, program.slug)],
        staff_names=names,
        assignment=assignment,
        can_assign=staff.role_in(program.slug) == SUPERVISOR,
        colleagues=_program_staff(program.slug, application.scope),
        local_time=local_time,
        max_comment=MAX_COMMENT_LENGTH,
        **context,
    ), status


def _bill_amount(bill: Bill) -> str:
    """The amount as the citizen's bill page shows it, in the page's language (``2,000.00 SAR``, ``ر.س.``)."""
    return format_sar(bill.amount, language_code()) if bill.currency == "SAR" else f"{bill.amount} {bill.currency}"


def _bill_status(bill: Bill) -> str:
    """The bill's status in words of the page's language, as the citizen reads it (an overdue bill is expired)."""
    status = bill.effective_status(utc_now())
    return str(STATUS_LABELS.get(status, status))


def _needs_comment(workflow: Any, state: str, target: str) -> bool:
    move = workflow.find(state, target, STAFF)
    return bool(move is not None and move.needs_comment)


def _is_staff_actor(actor: str) -> bool:
    kind, _sep, number = actor.partition(":")
    return kind == "staff" and number.isdigit()


@backoffice_blueprint.get("/<program>/applications/<reference>")
@staff_required()
def application_page(program: str, reference: str) -> ResponseReturnValue:
    declared = _program_or_404(program)
    application = _application_or_404(program, reference)
    _audit("application_viewed", application)
    db().commit()
    return _page(application, declared)


@backoffice_blueprint.post("/<program>/applications/<reference>/transition")
@staff_required()
def transition_application(program: str, reference: str) -> ResponseReturnValue:
    declared = _program_or_404(program)
    application = _application_or_404(program, reference)
    target = request.form.get("target", "")[:64]
    comment = strip_invisibles(request.form.get("comment", "")).strip()
    workflow = summarise(application).workflow
    errors: dict[str, str] = {}
    if workflow.state(target) is None:
        errors["target"] = _("Choose one of the actions offered.")
    elif len(comment) > MAX_COMMENT_LENGTH:
        errors["comment"] = _("Use at most %(maximum)s characters.", maximum=MAX_COMMENT_LENGTH)
    elif (target in COMMENT_REQUIRED or _needs_comment(workflow, application.state, target)) and not comment:
        errors["comment"] = _("Write a comment: the applicant will read it.")
    if errors:
        return _page(application, declared, status=400, errors=errors, comment=comment[:MAX_COMMENT_LENGTH])
    move = workflow.find(application.state, target, STAFF)
    if move is None:
        return _page(application, declared, status=409, problem=_("This action is not possible now."))
    if not _role_may(move, program):
        return _page(application, declared, status=403, problem=_("Your role cannot take this action."))
    session_db = db()
    source = application.state
    try:
        transition(session_db, application, target, actor=_actor(), actor_kind=STAFF, comment=comment)
        if target == NEEDS_INFORMATION:
            add_message(session_db, application, author=STAFF, body=comment)
        _audit("transition", application, source=source, target=target)
        session_db.commit()
    except TransitionNotAllowed:
        session_db.rollback()
        return _page(application, declared, status=409, problem=_("This action is not possible now."))
    except WorkflowHookError:
        session_db.rollback()
        application = _application_or_404(program, reference)
        return _page(application, declared, status=503, problem=str(HOOK_FAILED))
    except ApplicationError:
        session_db.rollback()
        return _page(
            _application_or_404(program, reference), declared, status=400, errors={"comment": _("Check the comment.")}
        )
    # application.state, not target: a bill paid in advance may have moved it on already.
    flash(_("The application is now: %(state)s.", state=workflow.label(application.state)), "success")
    return redirect(url_for("backoffice.application_page", program=program, reference=application.reference), code=303)


@backoffice_blueprint.post("/<program>/applications/<reference>/assign")
@staff_required()
def assign_application(program: str, reference: str) -> ResponseReturnValue:
    declared = _program_or_404(program)
    application = _application_or_404(program, reference)
    staff = signed_in_staff()
    if staff.role_in(program) != SUPERVISOR:
        abort(403)
    typed = request.form.get("staff_id", "")[:12]
    assignee = db().get(StaffAccount, int(typed)) if typed.isdigit() else None
    if (
        assignee is None
        or not assignee.active
        or assignee.role_in(program) is None
        or assignee.scope_in(program) not in (None, application.scope)
    ):
        return _page(
            application, declared, status=400, errors={"staff_id": _("Choose a member of this program's staff.")}
        )
    session_db = db()
    assignment = assignment_of(session_db, application.id)
    if assignment is None:
        assignment = ApplicationAssignment(application_id=application.id, staff_id=assignee.id)
        session_db.add(assignment)
    assignment.staff_id = assignee.id
    assignment.assigned_by = staff.id
    assignment.assigned_at = utc_now()
    _audit("assigned", application, assignee=f"staff:{assignee.id}")
    session_db.commit()
    flash(_("The application is assigned to %(name)s.", name=assignee.full_name), "success")
    return redirect(url_for("backoffice.application_page", program=program, reference=application.reference), code=303)


@backoffice_blueprint.post("/<program>/applications/<reference>/bills/<bill_number>/mark-paid")
@staff_required()
def mark_bill_paid(program: str, reference: str, bill_number: str) -> ResponseReturnValue:
    """Staff record a payment the sandbox cannot receive by itself (the sandbox adapter only)."""
    _program_or_404(program)
    application = _application_or_404(program, reference)
    adapter = current_app.extensions["gateway.payments"]
    bill = next((item for item in bills_of_application(db(), application.id) if item.bill_number == bill_number), None)
    if bill is None or getattr(adapter, "name", None) != SANDBOX:
        abort(404)
    staff = signed_in_staff()
    session_db = db()
    try:
        changed = mark_paid(session_db, bill, source=f"staff:{staff.id}")
    except PaymentError:
        session_db.rollback()
        abort(409)
    _audit("bill_marked_paid", application, bill=bill.bill_number)
    session_db.commit()
    if changed:
        flash(_("The bill is marked as paid."), "success")
    return redirect(url_for("backoffice.application_page", program=program, reference=application.reference), code=303)


@backoffice_blueprint.get("/<program>/documents/<public_id>")
@staff_required()
def document(program: str, public_id: str) -> Response:
    if not PUBLIC_ID_PATTERN.fullmatch(public_id):
        abort(404)
    found: Document | None = document_by_public_id(db(), public_id)
    application = db().get(Application, found.application_id) if found and found.application_id else None
    if found is None or application is None:
        abort(404)
    if application.program != program:
        deny("document", public_id, reason="outside_the_program", actor=_actor(), program=program)
    scope = _scope(program)
    if scope is not None and application.scope != scope:
        deny("document", public_id, reason="outside_their_office", actor=_actor(), program=program)
    try:
        handle = current_storage().open(found.storage_key)
    except (FileNotFoundError, InvalidStorageKeyError):
        logger.error("the file of document %s is missing from the storage", found.id)
        abort(404)
    _audit("document_downloaded", application, document=found.public_id)
    db().commit()
    response = Response(wrap_file(request.environ, handle), mimetype=found.content_type, direct_passthrough=True)
    response.content_length = found.size
    response.headers["Content-Disposition"] = content_disposition(
        download_name(found.original_name, found.content_type)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
