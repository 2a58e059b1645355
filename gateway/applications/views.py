"""The citizen's pages: the dashboard, an application's page, answering, withdrawing, lookup.

A person only ever reaches their own applications: anyone else's reference
answers exactly like an unknown one (404, never 403), so the pages cannot be
used to learn which references exist. Every change is a POST with a CSRF
token, made through the workflow, and committed in one transaction with its
history entry.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from bawaba_sdk.applications import IN_REVIEW, NEEDS_INFORMATION, WITHDRAWN
from bawaba_sdk.digits import strip_invisibles
from bawaba_sdk.program import Transition

from ..audit.denials import deny
from ..identity.current import current_person_record
from ..identity.models import Person
from ..identity.profile_views import signed_in
from ..pagecache import cached_for_person
from .display import actor_name, answer_sections, event_comment, extra_rows, local_time, summarise
from .models import CITIZEN, Application
from .references import normalise_reference
from .related import attachments_of, bills_of, drafts_of, file_names_of
from .service import (
    WorkflowHookError,
    add_message,
    application_exists,
    application_for,
    applications_of,
    transition,
    workflow_of,
)
from .workflow import TransitionNotAllowed

applications_blueprint = Blueprint("applications", __name__, url_prefix="/applications")

MAX_ANSWER_LENGTH = 2000
MAX_REASON_LENGTH = 500
HOOK_FAILED_MESSAGE = _l("The program could not take this change right now. Nothing was saved; please try again later.")


def _db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def _person() -> Person:
    person = current_person_record()
    assert person is not None  # guaranteed by @signed_in
    return person


def _own_or_404(reference: str) -> Application:
    """The signed-in person's application, or 404 whether it is someone else's or does not exist."""
    canonical = normalise_reference(reference)
    person = _person()
    application = application_for(_db(), person.id, canonical) if canonical else None
    if application is None:
        if canonical and application_exists(_db(), canonical):
            deny("application", canonical, reason="another_persons", person_id=person.id)
        abort(404)
    return application


def _can(application: Application, target: str) -> bool:
    return workflow_of(application).find(application.state, target, CITIZEN) is not None


def _page(application: Application, *, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("errors", {})
    context.setdefault("answer", "")
    return (
        render_template(
            "applications/detail.html",
            summary=summarise(application),
            application=application,
            sections=answer_sections(application, file_names_of(_db(), application)),
            attachments=attachments_of(_db(), application),
            bills=bills_of(_db(), application),
            can_answer=application.state == NEEDS_INFORMATION and _can(application, IN_REVIEW),
            can_withdraw=_can(application, WITHDRAWN),
            moves=_other_moves(application),
            extra_rows=extra_rows(application),
            local_time=local_time,
            actor_name=actor_name,
            event_comment=event_comment,
            **context,
        ),
        status,
    )


def _other_moves(application: Application) -> list[Transition]:
    """The service's own citizen moves (reply to a ticket, cancel a contract); answering and withdrawing have pages."""
    moves = workflow_of(application).allowed(application.state, CITIZEN)
    answering = application.state == NEEDS_INFORMATION  # needs_information -> in_review has its own form
    return [
        move
        for move in moves
        if move.target != WITHDRAWN and not move.on_payment and not (answering and move.target == IN_REVIEW)
    ]


@applications_blueprint.get("/")
@cached_for_person("dashboard")
@signed_in
def dashboard() -> ResponseReturnValue:
    summaries = [summarise(application) for application in applications_of(_db(), _person().id)]
    drafts = drafts_of(_db(), _person().id)
    return render_template("applications/dashboard.html", summaries=summaries, drafts=drafts, local_time=local_time)


@applications_blueprint.get("/lookup")
@signed_in
def lookup() -> ResponseReturnValue:
    typed = request.args.get("reference")
    if typed is None:
        return render_template("applications/lookup.html", errors={}, typed="")
    typed = typed[:100]
    reference = normalise_reference(typed)
    if reference is None:
        errors = {"reference": _("Enter a reference number like MSN-7KQ2X9PB: letters, a dash, then 8 characters.")}
        return render_template("applications/lookup.html", errors=errors, typed=typed), 400
    application = application_for(_db(), _person().id, reference)
    if application is None:
        errors = {"reference": _("None of your applications has this reference number. Check it and try again.")}
        return render_template("applications/lookup.html", errors=errors, typed=typed), 404
    return redirect(url_for("applications.detail", reference=application.reference), code=303)


@applications_blueprint.get("/<reference>")
@signed_in
def detail(reference: str) -> ResponseReturnValue:
    application = _own_or_404(reference)
    if application.reference != reference:
        return redirect(url_for("applications.detail", reference=application.reference), code=301)
    return _page(application)


@applications_blueprint.post("/<reference>/answer")
@signed_in
def answer(reference: str) -> ResponseReturnValue:
    application = _own_or_404(reference)
    typed = strip_invisibles(request.form.get("answer", "")).strip()
    if application.state != NEEDS_INFORMATION or not _can(application, IN_REVIEW):
        return _page(application, status=409, problem=_("This application is not waiting for information from you."))
    errors = {}
    if not typed:
        errors["answer"] = _("Write your answer to the request for information.")
    elif len(typed) > MAX_ANSWER_LENGTH:
        errors["answer"] = _("Use at most %(maximum)s characters.", maximum=MAX_ANSWER_LENGTH)
    if errors:
        return _page(application, status=400, errors=errors, answer=typed)
    db = _db()
    person = _person()
    try:
        add_message(db, application, author=CITIZEN, body=typed)
        transition(db, application, IN_REVIEW, actor=f"person:{person.id}", actor_kind=CITIZEN)
        db.commit()
    except WorkflowHookError:
        db.rollback()
        return _page(_own_or_404(reference), status=503, problem=str(HOOK_FAILED_MESSAGE), answer=typed)
    flash(_("Your answer has been sent. We will carry on reviewing your application."), "success")
    return redirect(url_for("applications.detail", reference=application.reference), code=303)


@applications_blueprint.get("/<reference>/withdraw")
@signed_in
def confirm_withdrawal(reference: str) -> ResponseReturnValue:
    application = _own_or_404(reference)
    if not _can(application, WITHDRAWN):
        return _page(application, status=409, problem=_("This application can no longer be withdrawn."))
    return render_template(
        "applications/withdraw.html", summary=summarise(application), application=application, errors={}, reason=""
    )


@applications_blueprint.post("/<reference>/withdraw")
@signed_in
def withdraw(reference: str) -> ResponseReturnValue:
    application = _own_or_404(reference)
    if not _can(application, WITHDRAWN):
        return _page(application, status=409, problem=_("This application can no longer be withdrawn."))
    reason = strip_invisibles(request.form.get("reason", "")).strip()
    if len(reason) > MAX_REASON_LENGTH:
        errors = {"reason": _("Use at most %(maximum)s characters.", maximum=MAX_REASON_LENGTH)}
        page = render_template(
            "applications/withdraw.html",
            summary=summarise(application),
            application=application,
            errors=errors,
            reason=reason,
        )
        return page, 400
    db = _db()
    try:
        transition(db, application, WITHDRAWN, actor=f"person:{_person().id}", actor_kind=CITIZEN, comment=reason)
        db.commit()
    except WorkflowHookError:
        db.rollback()
        return _page(_own_or_404(reference), status=503, problem=str(HOOK_FAILED_MESSAGE))
    flash(_("Your application has been withdrawn."), "success")
    return redirect(url_for("applications.detail", reference=application.reference), code=303)


@applications_blueprint.post("/<reference>/move")
@signed_in
def move(reference: str) -> ResponseReturnValue:
    """Make one of the service's own citizen moves, with the comment it asks for."""
    application = _own_or_404(reference)
    target = request.form.get("target", "")[:64]
    chosen = next((item for item in _other_moves(application) if item.target == target), None)
    if chosen is None:
        return _page(application, status=409, problem=_("This action is not possible now."))
    comment = strip_invisibles(request.form.get("comment", "")).strip()
    errors = {}
    if chosen.needs_comment and not comment:
        errors[f"comment-{target}"] = _("Write a few words: the program's staff will read them.")
    elif len(comment) > MAX_ANSWER_LENGTH:
        errors[f"comment-{target}"] = _("Use at most %(maximum)s characters.", maximum=MAX_ANSWER_LENGTH)
    if errors:
        return _page(application, status=400, errors=errors, comments={target: comment[:MAX_ANSWER_LENGTH]})
    db = _db()
    try:
        transition(db, application, target, actor=f"person:{_person().id}", actor_kind=CITIZEN, comment=comment)
        db.commit()
    except TransitionNotAllowed:
        db.rollback()
        return _page(_own_or_404(reference), status=409, problem=_("This action is not possible now."))
    except WorkflowHookError:
        db.rollback()
        return _page(_own_or_404(reference), status=503, problem=str(HOOK_FAILED_MESSAGE))
    flash(
        _("Done. Your application is now: %(state)s.", state=workflow_of(application).label(application.state)),
        "success",
    )
    return redirect(url_for("applications.detail", reference=application.reference), code=303)
