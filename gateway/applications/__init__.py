"""Applications of every program: one store, one lifecycle, the citizen's dashboard (issue 4).

Other parts use :func:`submit_application` and :func:`transition`; the app
factory calls :func:`init_applications` to mount the citizen's pages.
"""

from __future__ import annotations

from flask import Flask

from .models import Application, ApplicationEvent, ApplicationMessage
from .references import ALPHABET, new_reference, normalise_reference, reference_prefix
from .service import (
    ApplicationError,
    WorkflowHookError,
    add_message,
    application_exists,
    application_for,
    applications_of,
    as_view,
    declaration_of,
    submit_application,
    transition,
    workflow_of,
)
from .workflow import TransitionNotAllowed, Workflow, service_workflow

EXTENSION_KEY = "gateway.applications"


def init_applications(app: Flask) -> None:
    """Mount the citizen's application pages (``/applications/...``) once per app."""
    if EXTENSION_KEY in app.extensions:
        return
    from .views import applications_blueprint

    app.register_blueprint(applications_blueprint)
    app.extensions[EXTENSION_KEY] = True


__all__ = [
    "ALPHABET",
    "EXTENSION_KEY",
    "Application",
    "ApplicationError",
    "ApplicationEvent",
    "ApplicationMessage",
    "TransitionNotAllowed",
    "Workflow",
    "WorkflowHookError",
    "add_message",
    "application_exists",
    "application_for",
    "applications_of",
    "as_view",
    "declaration_of",
    "init_applications",
    "new_reference",
    "normalise_reference",
    "reference_prefix",
    "service_workflow",
    "submit_application",
    "transition",
    "workflow_of",
]
