"""Support tickets: open, reply, follow and close; staff answer in the back office.

A ticket is an ordinary application of the ``support_tickets`` service, so the
host keeps it, lists it on "My applications", shows its history to both sides
and puts it in the back-office queue. The conversation *is* the history: each
reply is the comment of a transition that needs one (staff "Reply" moves the
ticket to ``answered``, the person's "Reply" to ``replied``), so no message
table of our own can drift from what the host shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

import bawaba_sdk as sdk
from bawaba_sdk.forms import Schema, field, fields, validate

from .i18n import _, _l
from .web import SLUG

SERVICE = "support_tickets"
STEP = "ticket"
REFERENCE_PREFIX = "MST"

# States beyond the common lifecycle (a ticket starts, like every application, in ``submitted``).
ANSWERED = "answered"
REPLIED = "replied"
CLOSED = "closed"

SUBJECT_MIN, SUBJECT_MAX = 5, 150
MESSAGE_MIN, MESSAGE_MAX = 10, 2000
"""2000 is the host's limit for any typed answer (and for a back-office comment), so a longer
message could never be sent; the person is told the real limit rather than one the host refuses."""

CATEGORIES: tuple[tuple[str, sdk.LocalText], ...] = (
    ("visa_request", _l("Visa request")),
    ("payment", _l("Payment")),
    ("recruitment_office", _l("Recruitment office")),
    ("contract", _l("Contract")),
    ("complaint", _l("Complaint")),
    ("account", _l("Account")),
    ("other", _l("Other")),
)
CATEGORY_VALUES = tuple(value for value, _label in CATEGORIES)

STATUS_LABELS: Mapping[str, sdk.LocalText] = {
    "submitted": _l("Open — waiting for the support team"),
    ANSWERED: _l("Answered — waiting for you"),
    REPLIED: _l("Replied — waiting for the support team"),
    CLOSED: _l("Closed"),
}
"""How a ticket's state reads on the tickets page (``submitted`` is the host's state, called "open" here)."""

# Bidirectional embeddings/overrides/isolates and C0/C1 controls other than tab and newline: a subject
# carrying U+202E would show reversed (and could disguise itself) wherever it is listed.
_UNSAFE_CHARACTERS = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Typed text without the invisible controls that could reorder or hide what is shown."""
    return _UNSAFE_CHARACTERS.sub("", value).strip()


class PlainTextField(fields.String):
    """A string stored without bidirectional overrides or control characters (newlines are kept)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        return clean_text(super()._deserialize(value, attr, data, **kwargs))


class ReferenceField(fields.String):
    """An application reference, stored in its canonical form; a malformed one is refused here."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        typed = super()._deserialize(value, attr, data, **kwargs)
        reference = sdk.normalise_reference(typed)
        if reference is None:
            raise ValidationError(_("Enter a reference number like MSV-7KQ2X9PB: letters, a dash, then 8 characters."))
        return reference


class TicketSchema(Schema):
    """The one page of a ticket: what it is about, the request it concerns (if any), and the message."""

    category = fields.String(
        required=True,
        validate=validate.OneOf(CATEGORY_VALUES),
        metadata=field(label=_l("What is your ticket about?"), widget="radio", choices=CATEGORIES),
    )
    related_reference = ReferenceField(
        load_default=None,
        allow_none=True,
        metadata=field(
            label=_l("Reference number of the request concerned (optional)"),
            help=_l("One of your Musaned requests, for example MSV-7KQ2X9PB. Leave it empty if none."),
        ),
    )
    subject = PlainTextField(
        required=True,
        validate=validate.Length(min=SUBJECT_MIN, max=SUBJECT_MAX),
        metadata=field(label=_l("Subject"), help=_l("A short title, from 5 to 150 characters.")),
    )
    message = PlainTextField(
        required=True,
        validate=validate.Length(min=MESSAGE_MIN, max=MESSAGE_MAX),
        metadata=field(
            label=_l("Your message"),
            widget="textarea",
            help=_l("Describe your question or problem, from 10 to 2000 characters."),
        ),
    )


def validate_step(
    step: sdk.FormStep, data: Mapping[str, Any], answers: Mapping[str, Any], person: sdk.PersonView
) -> dict[str, str] | None:
    """A related reference must be one of the person's own Musaned applications.

    Whether it is someone else's or does not exist at all, the message is the
    same, so the form cannot be used to learn which references exist.
    """
    if step.slug != STEP:
        return None
    reference = data.get("related_reference")
    if not reference:
        return None
    own = {application.reference for application in sdk.applications_of(SLUG, person)}
    if reference not in own:
        return {
            "related_reference": _(
                "None of your Musaned requests has this reference number. Check it, or leave the box empty."
            )
        }
    return None


def _close(source: str, by: str) -> sdk.Transition:
    label = _l("Close the ticket") if by == "citizen" else _l("Close")
    return sdk.Transition(source, CLOSED, by, label)


TRANSITIONS: tuple[sdk.Transition, ...] = (
    sdk.Transition("submitted", ANSWERED, "staff", _l("Reply"), needs_comment=True),
    sdk.Transition(REPLIED, ANSWERED, "staff", _l("Reply"), needs_comment=True),
    sdk.Transition(ANSWERED, REPLIED, "citizen", _l("Reply"), needs_comment=True),
    *(_close(source, by) for source in ("submitted", ANSWERED, REPLIED) for by in ("citizen", "staff")),
)
"""Staff and the person take turns replying (the reply is the move's comment); either side may close."""

SETTINGS: tuple[sdk.Setting, ...] = ()

SERVICES: tuple[sdk.Service, ...] = (
    sdk.Service(
        slug=SERVICE,
        name=_l("Support tickets"),
        summary=_l("Open a support ticket for a question or a problem, and follow its status."),
        steps=(sdk.FormStep(STEP, _l("Your ticket"), TicketSchema),),
        states=(
            sdk.WorkflowState(ANSWERED, _l("Answered — waiting for you")),
            sdk.WorkflowState(REPLIED, _l("Replied — waiting for the support team")),
            sdk.WorkflowState(CLOSED, _l("Closed"), terminal=True),
        ),
        transitions=TRANSITIONS,
        reference_prefix=REFERENCE_PREFIX,
    ),
)

HOOKS: dict[str, sdk.ServiceHooks] = {SERVICE: sdk.ServiceHooks(validate_step=validate_step)}
"""No eligibility rule: anyone signed in may ask for help, unpaid violations or not."""
