"""The person's support tickets: ``/musaned/tickets``.

Tickets are kept by the host as applications, so this page keeps nothing: it
reads the person's own ``support_tickets`` applications through the SDK on
each request and links each one to the host's page, where the whole
conversation is shown and the person replies or closes the ticket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.validators import gregorian_to_hijri

from .saudi_time import RIYADH
from .tickets import CATEGORIES, SERVICE, STATUS_LABELS
from .web import SLUG, bp

"""Saudi Arabia keeps UTC+3 all year, so the day a person reads is the day in Riyadh."""
NEW_TICKET_PATH = f"/apply/{SLUG}/{SERVICE}/"
"""The host's form for the service (``/apply/<program>/<service>/``, documented in the plugin guide)."""


@dataclass(frozen=True)
class TicketRow:
    """One ticket as the list shows it."""

    reference: str
    url: str
    subject: str
    category: str
    state: str
    status: str
    updated: datetime | None
    updated_hijri: str

    @property
    def updated_text(self) -> str:
        """The moment of the last change in Riyadh time, as digits marked left-to-right in the page."""
        return self.updated.strftime("%Y-%m-%d %H:%M") if self.updated is not None else ""


def _hijri(day: date) -> str:
    try:
        return gregorian_to_hijri(day).isoformat()
    except ValueError:  # outside the Umm al-Qura table: show the Gregorian date alone
        return ""


def ticket_row(application: sdk.ApplicationView) -> TicketRow:
    """What the list needs of one ticket; answers saved by an older form are shown as far as they go."""
    answers: Mapping[str, Any] = application.answers.get("ticket") or {}
    if not isinstance(answers, Mapping):
        answers = {}
    categories = {value: str(label) for value, label in CATEGORIES}
    category = str(answers.get("category") or "")
    moment = application.updated_at or application.submitted_at
    local = moment.astimezone(RIYADH) if moment is not None else None
    label = STATUS_LABELS.get(application.state)
    return TicketRow(
        reference=application.reference,
        url=sdk.application_url(application.reference),
        subject=str(answers.get("subject") or ""),
        category=categories.get(category, category),
        state=application.state,
        status=str(label) if label is not None else application.state_label or application.state,
        updated=local,
        updated_hijri=_hijri(local.date()) if local is not None else "",
    )


@bp.get("/tickets")
@sdk.login_required
def tickets() -> str:
    """The signed-in person's tickets, newest first, and the way to open a new one."""
    person = sdk.current_person()
    assert person is not None  # guaranteed by login_required
    rows = [ticket_row(application) for application in sdk.applications_of(SLUG, person, SERVICE)]
    return sdk.render_template("musaned/ticket_list.html", tickets=rows, new_ticket_url=NEW_TICKET_PATH)
