"""Notifications (issue 4 §8): on submission and every status change, an entry in the portal, an SMS and an email.

The app factory calls :func:`init_notifications`: it mounts ``/notifications/``,
offers ``gateway_unread_notifications()`` to templates (the header's count) and
installs the session listener (see :mod:`.listener`) that notifies on every
new application history entry, whoever made it.
"""

from __future__ import annotations

from flask import Flask

from .models import KINDS, STATE_CHANGED, SUBMITTED, Notification
from .service import (
    PURPOSE,
    Notified,
    kind_of,
    mark_all_read,
    notifications_of,
    notify_application_event,
    unread_count,
)

EXTENSION_KEY = "gateway.notifications"


def init_notifications(app: Flask) -> None:
    """Mount the page, the template helper and the listener, once per app."""
    if EXTENSION_KEY in app.extensions:
        return
    from .listener import install_listener
    from .views import notifications_blueprint, unread_for_current_person

    app.register_blueprint(notifications_blueprint)
    app.jinja_env.globals["gateway_unread_notifications"] = unread_for_current_person
    install_listener(app, app.extensions["gateway"].database.session_factory)
    app.extensions[EXTENSION_KEY] = True


__all__ = [
    "EXTENSION_KEY",
    "KINDS",
    "PURPOSE",
    "STATE_CHANGED",
    "SUBMITTED",
    "Notification",
    "Notified",
    "init_notifications",
    "kind_of",
    "mark_all_read",
    "notifications_of",
    "notify_application_event",
    "unread_count",
]
