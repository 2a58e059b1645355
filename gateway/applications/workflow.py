"""A service's workflow: the common lifecycle plus the states and moves the service declares.

The workflow is derived from the declaration rather than stored, so a plugin
upgrade that adds a state takes effect at once, and it is checked when built
so a transition that names an undeclared state is a declaration error found at
the first use, not a stuck application later. It is built once per declared
service object (a dashboard asks for twenty applications' workflows) and
indexes its states and moves, which pages look up for every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import has_request_context
from flask_babel import lazy_gettext as _l

from bawaba_sdk.applications import (
    APPROVED,
    COMMON_STATES,
    COMMON_TRANSITIONS,
    DRAFT,
    IN_REVIEW,
    NEEDS_INFORMATION,
    SUBMITTED,
    WITHDRAWN,
)
from bawaba_sdk.i18n import LocalText
from bawaba_sdk.program import ACTORS, DeclarationError, Service, Transition, WorkflowState


class TransitionNotAllowed(Exception):  # noqa: N818 - the name the issue-4 contract fixes
    """The workflow has no move from the application's state to ``target`` for this kind of actor."""

    def __init__(self, source: str, target: str, actor_kind: str) -> None:
        super().__init__(f"{actor_kind} may not move an application from {source!r} to {target!r}")
        self.source = source
        self.target = target
        self.actor_kind = actor_kind


@dataclass(frozen=True)
class Workflow:
    """The states and transitions of one service, checked for consistency."""

    states: tuple[WorkflowState, ...]
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for state in self.states:
            if state.slug in seen:
                raise DeclarationError(f"workflow state {state.slug!r} is declared twice (or repeats a common state)")
            seen.add(state.slug)
        for move in self.transitions:
            for end in (move.source, move.target):
                if end not in seen:
                    raise DeclarationError(
                        f"transition {move.source}->{move.target} names the state {end!r}, which is not declared"
                    )
            if move.source == move.target:
                raise DeclarationError(f"transition {move.source}->{move.target} goes nowhere")

    @cached_property
    def _states_by_slug(self) -> dict[str, WorkflowState]:
        return {state.slug: state for state in self.states}

    @cached_property
    def _moves_from(self) -> dict[tuple[str, str], tuple[Transition, ...]]:
        """The moves from each state by each kind of actor, in declaration order."""
        moves: dict[tuple[str, str], list[Transition]] = {}
        for move in self.transitions:
            moves.setdefault((move.source, move.by), []).append(move)
        return {key: tuple(found) for key, found in moves.items()}

    @cached_property
    def _payment_moves(self) -> dict[str, Transition]:
        found: dict[str, Transition] = {}
        for move in self.transitions:
            if move.on_payment:
                found.setdefault(move.source, move)
        return found

    @cached_property
    def _sources(self) -> frozenset[str]:
        return frozenset(move.source for move in self.transitions)

    def state(self, slug: str) -> WorkflowState | None:
        return self._states_by_slug.get(slug)

    def label(self, slug: str) -> LocalText:
        """The state's label in the current language; the slug itself for a state no longer declared."""
        state = self.state(slug)
        return state.label if state is not None else slug

    def allowed(self, state: str, actor_kind: str) -> list[Transition]:
        """The moves ``actor_kind`` (citizen, staff or system) may make from ``state``."""
        if actor_kind not in ACTORS:
            return []
        return list(self._moves_from.get((state, actor_kind), ()))

    def find(self, source: str, target: str, actor_kind: str) -> Transition | None:
        return next((move for move in self.allowed(source, actor_kind) if move.target == target), None)

    def payment_transition(self, state: str) -> Transition | None:
        """The move the portal makes by itself when the bill is paid, if the workflow waits for payment here."""
        return self._payment_moves.get(state)

    def is_terminal(self, state: str) -> bool:
        """True when nobody can move the application any further."""
        declared = self.state(state)
        if declared is not None and declared.terminal:
            return True
        return state not in self._sources

    def next_action_for_citizen(self, state: str) -> LocalText | None:
        """What the applicant is expected to do now, in words; ``None`` when nothing is expected."""
        if state == NEEDS_INFORMATION:
            return _l("Answer the request for information")
        if state == DRAFT:
            return _l("Finish and submit your application")
        if self.payment_transition(state) is not None:
            return _l("Pay the fee for this application")
        if any(move.target != WITHDRAWN for move in self.allowed(state, "citizen")):
            return _l("Reply or choose what to do next on this application's page")
        if state in (SUBMITTED, IN_REVIEW):
            return _l("Nothing to do: we are reviewing your application")
        if state == APPROVED or self.is_terminal(state):
            return None
        return _l("Nothing to do: we are working on your application")


_BUILT: dict[int, tuple[Service, Workflow]] = {}
"""Workflows already built, by the identity of their declared service (kept, so the id stays its own)."""


def service_workflow(service: Service) -> Workflow:
    """The workflow of ``service``: common states plus its own, its transitions or the common ones."""
    built = _BUILT.get(id(service))
    if built is not None and built[0] is service:
        return built[1]
    transitions = service.transitions if service.transitions is not None else COMMON_TRANSITIONS
    workflow = Workflow(states=COMMON_STATES + tuple(service.states), transitions=tuple(transitions))
    if len(_BUILT) >= 4096:  # a portal declares a few dozen services; only test runs build thousands
        _BUILT.clear()
    _BUILT[id(service)] = (service, workflow)
    return workflow


COMMON_WORKFLOW = Workflow(states=COMMON_STATES, transitions=COMMON_TRANSITIONS)
"""The workflow of an application whose service is no longer declared (its plugin was removed)."""


def state_text(workflow: Workflow, state: str) -> str:
    """The state's label in the request's language; the slug outside a request (a command, a worker)."""
    return str(workflow.label(state)) if has_request_context() else state
