"""The declared forms engine (issue 4 §1-§3): one page per step, drafts on the server, submit once.

A plugin declares its service's steps as marshmallow schemas (``sdk.forms``);
this package renders and checks them, keeps the person's draft, and hands the
checked answers to ``gateway.applications.submit_application``. The app
factory calls :func:`init_forms`.
"""

from __future__ import annotations

from flask import Flask

from .declaration import FieldSpec, describe_schema
from .drafts import draft_for, drafts_of, find_draft, hold_for_submission, purge_stale_drafts
from .models import Draft
from .schema_json import form_schema_json

EXTENSION_KEY = "gateway.forms"


def init_forms(app: Flask) -> None:
    """Mount the ``forms`` blueprint (``/apply/<program>/<service>/...``) once per app."""
    if EXTENSION_KEY in app.extensions:
        return
    from .views import forms_blueprint

    app.register_blueprint(forms_blueprint)
    app.extensions[EXTENSION_KEY] = True


__all__ = [
    "EXTENSION_KEY",
    "Draft",
    "FieldSpec",
    "describe_schema",
    "draft_for",
    "drafts_of",
    "find_draft",
    "form_schema_json",
    "hold_for_submission",
    "init_forms",
    "purge_stale_drafts",
]
