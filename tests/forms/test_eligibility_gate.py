"""Who may apply: ``gateway_check_eligibility`` guards every page of a form, the submission and the API.

The ``engine`` probe's licence has three rules read live from the registry
(``sdk.registry_standing``) and from the host's store (``sdk.applications_of``):
an active account, no unpaid traffic violations, no licence in progress.
Khalid owes 1,250 SAR in the sandbox registry; Ahmed owes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

import bawaba_sdk as sdk
from tests.forms.conftest import drafts
from tests.forms.engine_portal import (
    EN,
    KHALID,
    LICENCE,
    LICENCE_CHECK,
    TICKET,
    EnginePortal,
    FlakyRegistry,
    matches_document,
    text,
)
from tests.identity.conftest import AHMED
from tests.sample_plugins import engine_probe

API_LICENCE = "/api/v1/programs/engine/services/licence"
DRAFT_PATH = "/programs/{program}/services/{service}/draft"
SUBMIT_PATH = "/programs/{program}/services/{service}/submit"
RULES = (
    "Your Absher account is active",
    "You have no unpaid traffic violations",
    "You have no licence application in progress",
)
NOT_ELIGIBLE = "You cannot apply yet"
UNKNOWN = "We cannot check the conditions now"


@pytest.fixture
def engine(make_app: Callable[..., Flask], tmp_path: Path) -> EnginePortal:
    return EnginePortal.build(make_app, tmp_path)


@pytest.fixture
def flaky(make_app: Callable[..., Flask], tmp_path: Path) -> EnginePortal:
    return EnginePortal.build(make_app, tmp_path, REGISTRY_ADAPTER=f"{FlakyRegistry.__module__}:FlakyRegistry")


def _marks(page: str) -> list[str]:
    """``passed`` or ``failed`` for each check listed on the page, in order."""
    return [chunk.split('"', 1)[0] for chunk in page.split('class="checklist__item checklist__item--')[1:]]


def test_the_first_page_lists_the_conditions_the_person_meets(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    assert ahmed.get(LICENCE).headers["Location"].endswith("/apply/engine/licence/about")
    page = text(ahmed.get(LICENCE + "about", headers=EN))
    assert "You meet the conditions of this service" in page
    assert all(rule in page for rule in RULES)
    assert _marks(page) == ["passed", "passed", "passed"]
    # Services without conditions show no list at all.
    assert ahmed.get(TICKET).status_code == 303
    assert "You meet the conditions" not in text(ahmed.get(TICKET + "ticket", headers=EN))


def test_someone_who_fails_a_rule_is_refused_on_every_page_with_every_check(engine: EnginePortal) -> None:
    khalid = engine.khalid()
    refusals = [
        khalid.get(LICENCE, headers=EN),
        khalid.get(LICENCE + "about", headers=EN),
        khalid.post(LICENCE + "about", data={"office": engine_probe.RIYADH, "value": "100"}, headers=EN),
        khalid.get(LICENCE_CHECK, headers=EN),
        khalid.post(LICENCE_CHECK, data={"submission_key": "made-up-key-123456"}, headers=EN),
    ]
    for refused in refusals:
        assert refused.status_code == 403
        page = text(refused)
        assert NOT_ELIGIBLE in page and all(rule in page for rule in RULES)
        assert _marks(page) == ["passed", "failed", "passed"]  # passed checks are listed too
        assert "You owe 1250.00 SAR in traffic violations. Pay them, then come back." in page
    assert drafts(engine.app) == [] and engine.applications() == []  # the refused post saved nothing
    # Another service of the program, without conditions, is open to him.
    assert khalid.get(TICKET).status_code == 303


def test_a_sent_application_is_found_again_by_its_key_after_the_rules_changed(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    key = engine.licence_to_check(ahmed)
    sent = ahmed.post(LICENCE_CHECK, data={"submission_key": key})
    assert sent.status_code == 303
    (application,) = engine.applications()
    # Now he has a licence in progress, so he may not start another one ...
    again = ahmed.get(LICENCE, headers=EN)
    assert again.status_code == 403
    assert _marks(text(again)) == ["passed", "passed", "failed"]
    assert f"Wait for {application.reference} to be decided." in text(again)
    # ... but the same click sent twice still leads to the application it made.
    resent = ahmed.post(LICENCE_CHECK, data={"submission_key": key})
    assert resent.status_code == 303 and resent.headers["Location"] == sent.headers["Location"]
    assert ahmed.get(resent.headers["Location"]).status_code == 200
    assert ahmed.post(LICENCE_CHECK, data={"submission_key": "another-key-12345678"}).status_code == 403
    assert len(engine.applications()) == 1


def test_an_unreachable_registry_means_try_later_never_not_eligible(flaky: EnginePortal) -> None:
    ahmed = flaky.ahmed()
    key = flaky.licence_to_check(ahmed)
    registry = flaky.app.extensions["gateway"].registry
    assert isinstance(registry, FlakyRegistry)
    registry.unreachable.add(AHMED["id_number"])
    for answer in (
        ahmed.get(LICENCE, headers=EN),
        ahmed.get(LICENCE + "about", headers=EN),
        ahmed.get(LICENCE_CHECK, headers=EN),
        ahmed.post(LICENCE_CHECK, data={"submission_key": key}, headers=EN),
    ):
        assert answer.status_code == 503
        assert UNKNOWN in text(answer) and NOT_ELIGIBLE not in text(answer)
    assert flaky.applications() == [] and len(drafts(flaky.app)) == 1  # nothing lost
    registry.unreachable.clear()
    assert ahmed.post(LICENCE_CHECK, data={"submission_key": key}).status_code == 303
    assert len(flaky.applications()) == 1


@pytest.mark.parametrize(
    "problem",
    [RuntimeError("engine probe: the rules are broken"), sdk.RegistryUnavailable("the licensing register is down")],
    ids=["plugin-bug", "plugin-says-unavailable"],
)
def test_a_plugin_that_cannot_answer_gives_try_later_not_a_crash(engine: EnginePortal, problem: Exception) -> None:
    ahmed = engine.ahmed()
    key = engine.licence_to_check(ahmed)
    engine_probe.ELIGIBILITY_RAISES.append(problem)
    for answer in (
        ahmed.get(LICENCE, headers=EN),
        ahmed.post(LICENCE + "about", data={"office": engine_probe.RIYADH, "value": "100"}, headers=EN),
        ahmed.post(LICENCE_CHECK, data={"submission_key": key}, headers=EN),
    ):
        assert answer.status_code == 503 and UNKNOWN in text(answer)
    assert engine.applications() == []
    assert ahmed.get(TICKET).status_code == 303  # the broken rule is the licence's only


def test_the_api_refuses_with_every_check(engine: EnginePortal) -> None:
    engine.khalid()
    khalid = engine.api(KHALID["id_number"])
    answer = khalid.put(API_LICENCE + "/draft", {"step": "about", "data": {"office": "OFF-RIY", "value": "100"}})
    assert answer.status_code == 403
    assert answer.get_json() == {
        "errors": {
            "eligibility": [
                {"label": RULES[0], "met": True, "detail": ""},
                {
                    "label": RULES[1],
                    "met": False,
                    "detail": "You owe 1250.00 SAR in traffic violations. Pay them, then come back.",
                },
                {"label": RULES[2], "met": True, "detail": ""},
            ]
        }
    }
    submitted = khalid.post(API_LICENCE + "/submit", {"submission_key": "khalid-key-0001"})
    assert submitted.status_code == 403 and submitted.get_json() == answer.get_json()
    # A client built from /api/openapi.json can read the refusal.
    matches_document(engine.app, DRAFT_PATH, "put", answer)
    matches_document(engine.app, SUBMIT_PATH, "post", submitted)
    assert drafts(engine.app) == [] and engine.applications() == []


def test_the_api_says_try_later_when_the_registry_is_down(flaky: EnginePortal) -> None:
    flaky.ahmed()
    ahmed = flaky.api()
    saved = ahmed.put(API_LICENCE + "/draft", {"step": "about", "data": {"office": "OFF-RIY", "value": "100"}})
    assert saved.status_code == 200, saved.get_json()
    flaky.app.extensions["gateway"].registry.unreachable.add(AHMED["id_number"])
    down = ahmed.post(API_LICENCE + "/submit", {"submission_key": "ahmed-key-0001"})
    assert down.status_code == 503 and "eligibility" in down.get_json()["errors"]
    matches_document(flaky.app, SUBMIT_PATH, "post", down)
    put_down = ahmed.put(API_LICENCE + "/draft", {"step": "about", "data": {"office": "OFF-RIY", "value": "100"}})
    assert put_down.status_code == 503
    matches_document(flaky.app, DRAFT_PATH, "put", put_down)
    assert flaky.applications() == []
    flaky.app.extensions["gateway"].registry.unreachable.clear()
    assert ahmed.post(API_LICENCE + "/submit", {"submission_key": "ahmed-key-0001"}).status_code == 201
    # Sent once: the same key still finds it after the rule "no licence in progress" closed the door.
    again = ahmed.post(API_LICENCE + "/submit", {"submission_key": "ahmed-key-0001"})
    assert again.status_code == 201  # the first answer again
    assert ahmed.put(API_LICENCE + "/draft", {"step": "about", "data": {"office": "OFF-RIY"}}).status_code == 403
