"""Programs, drafts and applications as the plain values the response schemas dump.

Names come from the plugins' declarations and state labels from the
workflow, rendered in the request's language (``Accept-Language``) or in
every language where an app needs to choose for itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from bawaba_sdk.i18n import text_in_all_languages
from bawaba_sdk.program import Program

from ..applications import Application
from ..applications.display import actor_name, summarise
from ..forms import Draft
from ..forms.flow import ServiceRef, applicable_steps, first_unanswered, step_answers
from ..payments import service as payments


def programs() -> list[dict[str, Any]]:
    enabled: list[Program] = current_app.extensions["gateway"].enabled_programs()
    return [
        {
            "slug": program.slug,
            "name": text_in_all_languages(program.name),
            "summary": text_in_all_languages(program.summary),
            "services": [
                {
                    "slug": service.slug,
                    "name": text_in_all_languages(service.name),
                    "summary": text_in_all_languages(service.summary),
                    "has_form": bool(service.steps),
                }
                for service in program.services
            ],
        }
        for program in enabled
    ]


def draft(ref: ServiceRef, found: Draft | None) -> dict[str, Any]:
    """The saved answers (an empty draft when none is saved yet) and where the person stands."""
    answers = dict(found.answers) if found is not None else {}
    following = first_unanswered(ref.service, answers)
    return {
        "program": ref.program.slug,
        "service": ref.service.slug,
        "answers": step_answers(answers),
        "steps": [step.slug for step in applicable_steps(ref.service, answers)],
        "next_step": following.slug if following is not None else None,
        "complete": found is not None and following is None,
        "updated_at": found.updated_at if found is not None else None,
    }


def application_summary(application: Application) -> dict[str, Any]:
    summary = summarise(application)
    next_action = summary.next_action
    return {
        "reference": application.reference,
        "program": application.program,
        "service": application.service,
        "program_name": str(summary.program_name),
        "service_name": str(summary.service_name),
        "state": application.state,
        "state_label": str(summary.state_label),
        "next_action": str(next_action) if next_action is not None else None,
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
    }


def application(db: Session, found: Application) -> dict[str, Any]:
    """The application with its history (labels in the request's language) and its bills."""
    workflow = summarise(found).workflow
    now = datetime.now(UTC)
    return {
        **application_summary(found),
        "answers": dict(found.answers or {}),
        "history": [
            {
                "occurred_at": event.occurred_at,
                "source": event.source,
                "target": event.target,
                "target_label": str(workflow.label(event.target)),
                "actor": str(actor_name(event)),
                "actor_kind": event.actor_kind,
                "comment": event.comment or "",
            }
            for event in found.events
        ],
        "bills": [
            {
                "bill_number": bill.bill_number,
                "amount": f"{bill.amount:.2f}",
                "currency": bill.currency,
                "status": bill.effective_status(now),
                "due_at": bill.due_at,
                "paid_at": bill.paid_at,
            }
            for bill in payments.bills_of_application(db, found.id)
        ],
    }
