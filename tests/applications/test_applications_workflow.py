"""The workflow a service declares: checked when built, and who may make which move."""

from __future__ import annotations

import pytest
from flask import Flask

from bawaba_sdk import COMMON_STATES, COMMON_TRANSITIONS, DeclarationError, Service, Transition, WorkflowState
from bawaba_sdk.applications import APPROVED, IN_REVIEW, NEEDS_INFORMATION, REJECTED, SUBMITTED, WITHDRAWN
from gateway.applications import Workflow, service_workflow
from tests.sample_plugins import workflow_probe as probe


def test_a_service_without_its_own_workflow_gets_the_common_lifecycle() -> None:
    workflow = service_workflow(Service(slug="plain", name="Plain", summary="."))
    assert [state.slug for state in workflow.states] == [state.slug for state in COMMON_STATES]
    assert workflow.transitions == COMMON_TRANSITIONS


def test_declared_states_and_transitions_extend_the_common_ones() -> None:
    workflow = service_workflow(probe.PERMIT)
    assert workflow.state("issued") is not None
    assert workflow.state(APPROVED) is not None
    assert [move.target for move in workflow.allowed(APPROVED, "staff")] == ["issued"]
    assert workflow.is_terminal("issued")


def test_a_transition_to_an_undeclared_state_is_a_declaration_error() -> None:
    service = Service(
        slug="broken",
        name="Broken",
        summary=".",
        transitions=(*COMMON_TRANSITIONS, Transition(APPROVED, "shipped", "staff", "Ship")),
    )
    with pytest.raises(DeclarationError, match="shipped"):
        service_workflow(service)


def test_a_service_may_not_redeclare_a_common_state() -> None:
    service = Service(slug="again", name="Again", summary=".", states=(WorkflowState(APPROVED, "Approved again"),))
    with pytest.raises(DeclarationError, match="approved"):
        service_workflow(service)


def test_a_transition_that_goes_nowhere_is_refused() -> None:
    with pytest.raises(DeclarationError, match="nowhere"):
        Workflow(states=COMMON_STATES, transitions=(Transition(IN_REVIEW, IN_REVIEW, "staff", "Again"),))


def test_each_kind_of_actor_gets_only_its_own_moves() -> None:
    workflow = service_workflow(probe.NOTE)
    assert {move.target for move in workflow.allowed(IN_REVIEW, "staff")} == {NEEDS_INFORMATION, APPROVED, REJECTED}
    assert {move.target for move in workflow.allowed(IN_REVIEW, "citizen")} == {WITHDRAWN}
    assert {move.target for move in workflow.allowed(NEEDS_INFORMATION, "citizen")} == {IN_REVIEW, WITHDRAWN}
    assert workflow.allowed(SUBMITTED, "system") == []
    assert workflow.allowed(APPROVED, "citizen") == []
    assert workflow.allowed(IN_REVIEW, "intruder") == []
    assert workflow.find(IN_REVIEW, APPROVED, "citizen") is None


def test_the_next_action_tells_the_citizen_what_is_expected(app: Flask) -> None:
    workflow = service_workflow(probe.PERMIT)
    paying = Workflow(
        states=(*COMMON_STATES, WorkflowState("awaiting_fee", "Waiting for the fee")),
        transitions=(
            Transition(APPROVED, "awaiting_fee", "staff", "Ask for the fee"),
            Transition("awaiting_fee", IN_REVIEW, "system", "Fee paid", on_payment=True),
        ),
    )
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(workflow.next_action_for_citizen(NEEDS_INFORMATION)) == "Answer the request for information"
        assert "reviewing" in str(workflow.next_action_for_citizen(SUBMITTED))
        assert "reviewing" in str(workflow.next_action_for_citizen(IN_REVIEW))
        assert workflow.next_action_for_citizen(APPROVED) is None
        assert workflow.next_action_for_citizen("issued") is None
        assert workflow.next_action_for_citizen(WITHDRAWN) is None
        assert str(paying.next_action_for_citizen("awaiting_fee")) == "Pay the fee for this application"
        assert paying.payment_transition("awaiting_fee") is not None
        assert str(workflow.label("issued")) == "Permit issued"
        assert workflow.label("gone") == "gone"
