"""The back office (issue 4 §9): staff accounts, per-program queues, review, assignment, administration."""

from __future__ import annotations

from flask import Flask

from .access import current_staff, staff_required
from .models import ApplicationAssignment, StaffAccount, StaffRole

EXTENSION_KEY = "gateway.backoffice"


def init_backoffice(app: Flask) -> None:
    """Register the back-office pages (once) on ``app``."""
    if EXTENSION_KEY in app.extensions:
        return
    from . import admin_views, auth_views, views  # noqa: F401 - importing registers their routes
    from .blueprint import backoffice_blueprint

    app.register_blueprint(backoffice_blueprint)
    app.extensions[EXTENSION_KEY] = True


__all__ = [
    "ApplicationAssignment",
    "StaffAccount",
    "StaffRole",
    "current_staff",
    "init_backoffice",
    "staff_required",
]
