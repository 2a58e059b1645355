"""Applications as a plugin sees them, and the lifecycle every service shares.

Every application of every program lives in the host's one store and moves
through the same common states; a service may add states (``fee_paid``,
``issued``) and its own transitions. Plugins never write the store directly:
they declare the workflow, and the host records every transition with who,
when, from, to and why, then calls ``gateway_application_transitioned``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

from .host import current_host
from .program import Transition, WorkflowState

if TYPE_CHECKING:
    from .identity import PersonView

DRAFT = "draft"
SUBMITTED = "submitted"
IN_REVIEW = "in_review"
NEEDS_INFORMATION = "needs_information"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

COMMON_STATES: tuple[WorkflowState, ...] = (
    WorkflowState(DRAFT, _l("Draft")),
    WorkflowState(SUBMITTED, _l("Submitted")),
    WorkflowState(IN_REVIEW, _l("In review")),
    WorkflowState(NEEDS_INFORMATION, _l("Needs information from you")),
    WorkflowState(APPROVED, _l("Approved")),
    WorkflowState(REJECTED, _l("Rejected"), terminal=True),
    WorkflowState(WITHDRAWN, _l("Withdrawn"), terminal=True),
)
"""The lifecycle every application shares."""

COMMON_TRANSITIONS: tuple[Transition, ...] = (
    Transition(SUBMITTED, IN_REVIEW, "staff", _l("Start the review")),
    Transition(IN_REVIEW, NEEDS_INFORMATION, "staff", _l("Ask for more information")),
    Transition(NEEDS_INFORMATION, IN_REVIEW, "citizen", _l("Send the information")),
    Transition(IN_REVIEW, APPROVED, "staff", _l("Approve")),
    Transition(IN_REVIEW, REJECTED, "staff", _l("Reject")),
    Transition(SUBMITTED, WITHDRAWN, "citizen", _l("Withdraw")),
    Transition(IN_REVIEW, WITHDRAWN, "citizen", _l("Withdraw")),
    Transition(NEEDS_INFORMATION, WITHDRAWN, "citizen", _l("Withdraw")),
)
"""The moves of the common lifecycle; a service extends them (``COMMON_TRANSITIONS + (...)``)."""


@dataclass(frozen=True)
class ApplicationView:
    """A read-only snapshot of one application, given to plugins in hooks."""

    reference: str
    program: str
    service: str
    state: str
    person_subject: str
    answers: Mapping[str, Any]
    submitted_at: datetime | None
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Values the workflow recorded (for example a visa number set by a plugin)."""
    updated_at: datetime | None = None
    """When it last moved (its newest history entry)."""
    scope: str | None = None
    """The answer named by the service's ``scope_answer`` (e.g. an office's licence), or ``None``."""
    state_label: str = ""
    """The state as the person reads it, in the request's language."""


def applications_of(program_slug: str, person: PersonView, service_slug: str | None = None) -> list[ApplicationView]:
    """The person's own applications to the program (one service's, if named), newest first.

    A plugin lists what the person has applied for without keeping a copy:
    the host's store is the one record of every application.
    """
    return current_host().applications(program_slug, person, service_slug)


def application_url(reference: str) -> str:
    """The host page where the person follows their application ``reference``."""
    return current_host().application_url(reference)


def applicants_in_state(program_slug: str, state: str, service_slug: str | None = None) -> list[int]:
    """The ids of the people with an application to the program in ``state`` (one service's, if named), ascending.

    For work over a whole program outside any request (a monthly cycle pays
    every approved household): each id is an owner id for
    ``sdk.confirmed_version(..., owner_id=...)``. The host's store stays the
    one record of who was approved.
    """
    return current_host().applicants_in_state(program_slug, state, service_slug)
