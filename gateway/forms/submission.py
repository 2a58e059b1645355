"""Turning checked answers into an application, its documents and its fee bill.

The pages' "send" button and the JSON API's submit endpoint both call
:func:`make_application`, so an application made either way is the same.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy.orm import Session

from .. import applications, documents
from ..applications import Application
from ..identity.models import Person
from ..identity.people import as_view
from ..payments import service as payments
from .fees import application_fee
from .flow import ServiceRef, applicable_steps, specs_of


def make_application(
    db: Session, ref: ServiceRef, person: Person, checked: dict[str, Any], submission_key: str
) -> Application:
    """Create (or find, for the same key) the application with its documents and fee bill; the caller commits.

    Raises :class:`gateway.applications.WorkflowHookError` when the program
    refuses, and :class:`gateway.forms.fees.FeeError` when its fee hook fails;
    the caller rolls back.
    """
    application = applications.submit_application(
        db, person=person, program=ref.program, service=ref.service, answers=checked, submission_key=submission_key
    )
    _attach_documents(db, person, ref, checked, application.id)
    fee = application_fee(ref, checked, as_view(person))
    if fee is not None:
        payments.create_bill(db, application=application, amount=fee, person_id=person.id)
    return application


def _attach_documents(
    db: Session, person: Person, ref: ServiceRef, answers: dict[str, Any], application_id: int
) -> None:
    """Make the uploaded documents part of the application, in the same transaction."""
    for step in applicable_steps(ref.service, answers):
        for spec in specs_of(step, answers):
            public_id = answers.get(step.slug, {}).get(spec.name) if spec.widget == "file" else None
            if not public_id:
                continue
            document = documents.document_by_public_id(db, str(public_id))
            if document is None or document.person_id != person.id or document.application_id is not None:
                abort(400)
            documents.attach(db, document, application_id)
