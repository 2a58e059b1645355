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
from typing import Any

from flask_babel import lazy_gettext as _l

from .program import Transition, WorkflowState

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
