"""``/dev/outbox``: the sandbox outbox as a page, for developers only.

With the sandbox adapters nothing leaves the machine, so a developer needs
somewhere to read the one-time code they were just "sent". The page shows
message bodies, codes included, which is why ``init_messaging`` registers it
only in development and testing: in production the route does not exist.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, make_response, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError, ProgrammingError

from .models import EMAIL, FAILED, QUEUED, SENT, SMS
from .outbox import latest_messages

PAGE_SIZE = 50

dev_outbox_blueprint = Blueprint("dev_outbox", __name__, url_prefix="/dev")

CHANNEL_LABELS = {SMS: _l("SMS"), EMAIL: _l("Email")}
STATUS_LABELS = {QUEUED: _l("Queued"), SENT: _l("Sent"), FAILED: _l("Failed")}
PURPOSE_LABELS = {
    "registration": _l("Registration"),
    "sign_in": _l("Sign-in"),
    "password_reset": _l("Password reset"),
    "contact_change": _l("Contact change"),
    "notification": _l("Notification"),
    "staff_sign_in": _l("Staff sign-in"),
}


def _label(labels: dict[str, object], value: str) -> object:
    """The label of a known value; an unknown one (a plugin's purpose) reads as words, not as a code."""
    return labels.get(value) or value.replace("_", " ").replace(".", " · ").capitalize()


@dev_outbox_blueprint.get("/outbox")
def outbox() -> Response:
    """The newest messages, newest first; a database not yet migrated gets a hint, not a 500."""
    session = current_app.extensions["gateway"].db_session()
    status = 200
    try:
        messages = latest_messages(session, PAGE_SIZE)
        missing_table = False
    except (OperationalError, ProgrammingError):
        session.rollback()
        messages, missing_table, status = [], True, 503
    page = render_template(
        "dev/outbox.html",
        messages=messages,
        missing_table=missing_table,
        channel_label=lambda value: _label(CHANNEL_LABELS, value),
        status_label=lambda value: _label(STATUS_LABELS, value),
        purpose_label=lambda value: _label(PURPOSE_LABELS, value),
    )
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"  # it shows live codes
    response.headers["X-Robots-Tag"] = "noindex"
    return response
