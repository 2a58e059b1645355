"""Test kit: look at an application and move it, as staff through the back office or directly.

``move_as_staff`` posts the back office's own form (the page's checks, its
audit entry, its messages); ``move_application`` goes straight through the
workflow, as the host's code does, for the moves around the one under test::

    from bawaba_sdk.testing.applications import application, move_application, move_as_staff

    def test_an_approved_booking(make_portal):
        ...  # reference = walk.submit()
        move_application(app, reference, "in_review")
        move_as_staff(sign_in_staff(app, "parks"), reference, "approved")
        assert application(app, reference).state == "approved"

Both run the plugin's ``gateway_application_transitioned`` hook and the
payment rules (a bill paid in advance moves the application on at once).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from ..applications import ApplicationView
from .host_kit import TransitionRefused, host_kit


def application(app: Any, reference: str) -> ApplicationView:
    """The application ``reference`` as plugins see it (state, answers, ``extra``); ``LookupError`` if none."""
    return host_kit().application(app, reference)


def move_application(app: Any, reference: str, target: str, *, by: str = "staff", comment: str = "") -> ApplicationView:
    """Move the application to ``target`` through its workflow as ``by`` (``citizen``, ``staff``, ``system``).

    Returns the application after the move (a paid bill may have moved it
    further). Raises :class:`TransitionRefused` when its workflow has no such
    move for that actor from its state.
    """
    return host_kit().move_application(app, reference, target, by, comment)


def change_application(
    app: Any, reference: str, *, submitted_at: datetime | None = None, extra: Mapping[str, Any] | None = None
) -> ApplicationView:
    """Arrange an application for a rule about time: when it was submitted, and values merged into ``extra``.

    For tests of what a plugin allows only after a delay (a complaint once
    a contract is N days old): the application is made through the pages,
    then made to look older here. Returns it as it now is.
    """
    return host_kit().change_application(app, reference, submitted_at, extra)


def move_as_staff(
    staff: FlaskClient, reference: str, target: str, *, comment: str = "", status: int = 303
) -> TestResponse:
    """Post the back office's "move to ``target``" form as the signed-in ``staff`` client.

    Fails the test unless the answer has ``status`` (303, back to the
    application's page, when the move is made; 400 for a missing comment,
    404 without a role in the program, 409 for a move the workflow refuses).
    """
    program = host_kit().application(staff.application, reference).program
    response = staff.post(
        f"/backoffice/{program}/applications/{reference}/transition", data={"target": target, "comment": comment}
    )
    if response.status_code != status:
        raise AssertionError(
            f"moving {reference} to {target!r} answered {response.status}, expected {status}:\n"
            + response.get_data(as_text=True)[:2000]
        )
    return response


__all__ = [
    "ApplicationView",
    "TransitionRefused",
    "application",
    "change_application",
    "move_application",
    "move_as_staff",
]
