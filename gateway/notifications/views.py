"""The person's notifications page: what the portal told them, in the language they read it in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..applications.display import local_time
from ..identity.current import current_person_record
from ..identity.profile_views import signed_in
from .service import mark_all_read, notifications_of, unread_count

notifications_blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")


def _db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def _person_id() -> int:
    person = current_person_record()
    assert person is not None  # @signed_in
    return person.id


@notifications_blueprint.get("/")
@signed_in
def index() -> ResponseReturnValue:
    db = _db()
    person_id = _person_id()
    return render_template(
        "notifications/list.html",
        notifications=notifications_of(db, person_id),
        unread=unread_count(db, person_id),
        local_time=local_time,
    )


@notifications_blueprint.post("/read")
@signed_in
def mark_read() -> ResponseReturnValue:
    db = _db()
    changed = mark_all_read(db, _person_id())
    db.commit()
    if changed:
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"), code=303)


def unread_for_current_person() -> int:
    """For the header: the signed-in person's unread notifications, 0 for a visitor."""
    person = current_person_record()
    if person is None:
        return 0
    return unread_count(_db(), person.id)
