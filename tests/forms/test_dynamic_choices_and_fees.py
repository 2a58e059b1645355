"""Choices worked out per person (``field(choices=callable)``) and fees computed from the answers.

The ``engine`` probe's licence offers citizens two offices and residents only
Riyadh's, named for the person; its fee is a tenth of the declared value
(``gateway_application_fee``), or the ``licence_fee`` setting (75 SAR) when
the hook answers ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openapi_spec_validator import validate
from sqlalchemy import select

from gateway.forms import Draft
from tests.forms.conftest import drafts
from tests.forms.engine_portal import (
    EN,
    LICENCE,
    LICENCE_CHECK,
    EnginePortal,
    matches_document,
    submission_key,
    text,
)
from tests.identity.conftest import RAJESH
from tests.sample_plugins import engine_probe
from tests.sample_plugins.engine_probe import JEDDAH, RIYADH

API = "/api/v1/programs/engine/services"
NOT_OFFERED = "Choose one of the options listed."
DRAFT_PATH = "/programs/{program}/services/{service}/draft"


@pytest.fixture
def engine(make_app: Callable[..., Flask], tmp_path: Path) -> EnginePortal:
    return EnginePortal.build(make_app, tmp_path)


def _offices(page: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in page.split('name="office" value="')[1:]]


# -- choices ---------------------------------------------------------------------------------


def test_each_person_is_offered_their_own_choices_and_nothing_else_is_accepted(engine: EnginePortal) -> None:
    ahmed, rajesh = engine.ahmed(), engine.rajesh()
    ahmeds = text(ahmed.get(LICENCE + "about", headers=EN))
    assert _offices(ahmeds) == [RIYADH, JEDDAH]
    assert "Riyadh office (for Ahmed)" in ahmeds and "Jeddah office (citizens only)" in ahmeds
    rajeshs = text(rajesh.get(LICENCE + "about", headers=EN))
    assert _offices(rajeshs) == [RIYADH]
    assert "Riyadh office (for Rajesh)" in rajeshs and "Jeddah" not in rajeshs and "Ahmed" not in rajeshs
    # A value offered to someone else, or to nobody, is refused with a message by the field.
    for value in (JEDDAH, "OFF-XYZ"):
        refused = rajesh.post(LICENCE + "about", data={"office": value, "value": "100"}, headers=EN)
        assert refused.status_code == 400
        assert NOT_OFFERED in text(refused)
        assert _offices(text(refused)) == [RIYADH]
    assert all("about" not in draft.answers for draft in drafts(engine.app))  # nothing saved for him
    assert rajesh.post(LICENCE + "about", data={"office": RIYADH, "value": "100"}).status_code == 303
    assert ahmed.post(LICENCE + "about", data={"office": JEDDAH, "value": "100"}).status_code == 303
    assert ahmed.post(LICENCE_CHECK, data={"submission_key": submission_key(ahmed, LICENCE_CHECK)}).status_code == 303
    (application,) = engine.applications()
    assert application.answers["about"]["office"] == JEDDAH and application.scope == JEDDAH


def test_an_answer_from_per_person_choices_is_shown_wherever_the_application_is(engine: EnginePortal) -> None:
    """The applicant reads the label offered to them; staff, who are offered nothing, read the value."""
    ahmed = engine.ahmed()
    key = engine.licence_to_check(ahmed, JEDDAH)
    done = ahmed.post(LICENCE_CHECK, data={"submission_key": key})
    reference = done.headers["Location"].rsplit("/", 1)[1]
    citizen = ahmed.get(f"/applications/{reference}", headers=EN)
    assert citizen.status_code == 200 and "Jeddah office (citizens only)" in text(citizen)
    _staff_id, staff = engine.staff("boss", {"engine": "supervisor"})
    office = staff.get(f"/backoffice/engine/applications/{reference}", headers=EN)
    assert office.status_code == 200 and JEDDAH in text(office)
    api = engine.api().get(f"/api/v1/applications/{reference}")
    assert api.status_code == 200 and api.get_json()["answers"]["about"]["office"] == JEDDAH
    assert ahmed.get("/applications/", headers=EN).status_code == 200


def test_a_choice_no_longer_offered_is_refused_at_submission(engine: EnginePortal) -> None:
    """Choices are worked out again on submit: a draft saved when a value was offered is checked again."""
    rajesh = engine.rajesh()
    key = engine.licence_to_check(rajesh)
    with engine.db() as db:
        (draft,) = db.scalars(select(Draft)).all()
        draft.answers = {**draft.answers, "about": {**draft.answers["about"], "office": JEDDAH}}
        db.commit()
    refused = rajesh.post(LICENCE_CHECK, data={"submission_key": key}, headers=EN)
    assert refused.status_code == 400 and NOT_OFFERED in text(refused)
    assert engine.applications() == []


def test_the_api_describes_and_checks_the_callers_own_choices(engine: EnginePortal) -> None:
    engine.ahmed()
    engine.rajesh()
    ahmed, rajesh = engine.api(), engine.api(RAJESH["id_number"])

    def offered(caller: Any) -> list[dict[str, Any]]:
        form = caller.get(f"{API}/licence/form").get_json()
        (office,) = [item for item in form["steps"][0]["fields"] if item["name"] == "office"]
        choices: list[dict[str, Any]] = office["choices"]
        return choices

    engine_probe.CHOICE_CALLS.clear()
    assert [choice["value"] for choice in offered(ahmed)] == [RIYADH, JEDDAH]
    asked_for = list(engine_probe.CHOICE_CALLS)
    assert asked_for == [ahmed.person.id_number]  # worked out for the token's person
    assert offered(rajesh) == [
        {"value": RIYADH, "label": {"ar": "Riyadh office (for Rajesh)", "en": "Riyadh office (for Rajesh)"}}
    ]
    refused = rajesh.put(f"{API}/licence/draft", {"step": "about", "data": {"office": JEDDAH, "value": "100"}})
    assert refused.status_code == 422 and refused.get_json() == {"errors": {"office": NOT_OFFERED}}
    matches_document(engine.app, DRAFT_PATH, "put", refused)
    saved = ahmed.put(f"{API}/licence/draft", {"step": "about", "data": {"office": JEDDAH, "value": "100"}})
    assert saved.status_code == 200, saved.get_json()


def test_the_openapi_document_marks_choices_made_per_person_and_stays_valid(engine: EnginePortal) -> None:
    spec = engine.app.test_client().get("/api/openapi.json").get_json()
    validate(spec)
    assert engine_probe.CHOICE_CALLS == []  # the public document asks nobody's choices
    schemas = spec["components"]["schemas"]
    office = schemas["engine.licence.about"]["properties"]["office"]
    assert office["x-choices-per-person"] is True
    assert "x-choices" not in office and "enum" not in office
    ticket_office = schemas["engine.ticket.ticket"]["properties"]["office"]
    assert [choice["value"] for choice in ticket_office["x-choices"]] == [RIYADH, JEDDAH]
    assert "x-choices-per-person" not in ticket_office


# -- fees ------------------------------------------------------------------------------------


def _submit(engine: EnginePortal, value: str = "4321.50") -> tuple[Any, str, Any]:
    ahmed = engine.ahmed()
    key = engine.licence_to_check(ahmed, value=value)
    check = text(ahmed.get(LICENCE_CHECK, headers=EN))
    return ahmed, key, check


def test_the_computed_fee_is_shown_before_sending_and_billed(engine: EnginePortal) -> None:
    ahmed, key, check = _submit(engine)
    assert "you will be given a bill of 432.15 SAR" in check
    sent = ahmed.post(LICENCE_CHECK, data={"submission_key": key})
    assert sent.status_code == 303
    (bill,) = engine.bills()
    (application,) = engine.applications()
    assert bill.amount == Decimal("432.15") and bill.application_id == application.id
    assert bill.bill_number in text(ahmed.get(sent.headers["Location"], headers=EN))


def test_no_computed_fee_means_the_fee_setting(engine: EnginePortal) -> None:
    engine_probe.FEE_ANSWER.append(None)
    ahmed, key, check = _submit(engine)
    assert "you will be given a bill of 75.00 SAR" in check
    assert ahmed.post(LICENCE_CHECK, data={"submission_key": key}).status_code == 303
    assert [bill.amount for bill in engine.bills()] == [Decimal("75.00")]


def test_a_zero_fee_bills_nothing(engine: EnginePortal) -> None:
    engine_probe.FEE_ANSWER.append(Decimal("0"))
    ahmed, key, check = _submit(engine)
    assert "you will be given a bill" not in check
    assert ahmed.post(LICENCE_CHECK, data={"submission_key": key}).status_code == 303
    assert len(engine.applications()) == 1 and engine.bills() == []


@pytest.mark.parametrize(
    "answer",
    [engine_probe.RAISE, "a lot", Decimal("-5"), Decimal("10.005"), Decimal("NaN"), ["100"], True, False],
    ids=["raises", "words", "negative", "below-a-halala", "nan", "a-list", "true", "false"],
)
def test_a_broken_fee_refuses_the_submission_and_keeps_the_draft(engine: EnginePortal, answer: Any) -> None:
    engine_probe.FEE_ANSWER.append(answer)
    ahmed, key, check = _submit(engine)
    assert "you will be given a bill" not in check
    refused = ahmed.post(LICENCE_CHECK, data={"submission_key": key}, headers=EN)
    assert refused.status_code == 503
    assert engine.applications() == [] and engine.bills() == []
    assert len(drafts(engine.app)) == 1
    engine_probe.FEE_ANSWER.clear()  # the program is mended: the same key now sends it
    assert ahmed.post(LICENCE_CHECK, data={"submission_key": key}).status_code == 303
    assert [bill.amount for bill in engine.bills()] == [Decimal("432.15")]


def test_the_api_bills_the_computed_fee_and_refuses_a_broken_one(engine: EnginePortal) -> None:
    engine.ahmed()
    ahmed = engine.api()
    saved = ahmed.put(f"{API}/licence/draft", {"step": "about", "data": {"office": RIYADH, "value": "1000"}})
    assert saved.status_code == 200, saved.get_json()
    engine_probe.FEE_ANSWER.append(engine_probe.RAISE)
    assert ahmed.post(f"{API}/licence/submit", {"submission_key": "ahmed-key-0001"}).status_code == 503
    assert engine.applications() == [] and len(drafts(engine.app)) == 1
    engine_probe.FEE_ANSWER.clear()
    assert ahmed.post(f"{API}/licence/submit", {"submission_key": "ahmed-key-0001"}).status_code == 201
    assert [bill.amount for bill in engine.bills()] == [Decimal("100.00")]
