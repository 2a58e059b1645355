"""Saving a draft step by step through the API, checked exactly as the pages check it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from gateway.forms import Draft
from tests.api.api_flow import BOAT, PERSONAL, SERVICE, Caller
from tests.oidc.oidc_flow import fetch_all

DRAFT = SERVICE + "/draft"


def arabic(text: str) -> bool:
    return any("\u0600" <= letter <= "\u06ff" for letter in text)


def test_an_empty_draft_before_any_answer(sara: Caller, api_app: Flask) -> None:
    draft = sara.get(DRAFT).get_json()
    assert draft == {
        "program": "permits",
        "service": "fishing_licence",
        "answers": {},
        "steps": ["personal", "boat"],
        "next_step": "personal",
        "complete": False,
        "updated_at": None,
    }
    assert fetch_all(api_app, select(Draft)) == []  # reading does not start one


def test_saving_each_step_moves_the_draft_on(sara: Caller, api_app: Flask) -> None:
    response = sara.put(DRAFT, {"step": "personal", "data": {**PERSONAL, "mobile": "+966500000000"}})
    assert response.status_code == 200, response.get_json()
    draft = response.get_json()
    # Prefilled fields come from the person, whatever the app sent.
    assert draft["answers"]["personal"] == {
        "first_name_ar": "سارة",
        "mobile": "+966501234567",
        "email": "sara@example.com",
    }
    assert draft["next_step"] == "boat"
    response = sara.put(
        DRAFT, {"step": "boat", "data": {**BOAT, "length": "١٢", "has_crew": True}}
    )  # Arabic-Indic digits
    assert response.status_code == 200, response.get_json()
    draft = response.get_json()
    assert draft["answers"]["boat"]["length"] == 12.0
    assert draft["steps"] == ["personal", "boat", "crew"]
    assert draft["next_step"] == "crew" and draft["complete"] is False
    members = [{"national_id": "1000000008", "name": "Saeed"}]
    draft = sara.put(DRAFT, {"step": "crew", "data": {"members": members}}).get_json()
    assert draft["complete"] is True and draft["next_step"] is None
    assert sara.get(DRAFT).get_json()["answers"]["crew"] == {"members": members}
    (stored,) = fetch_all(api_app, select(Draft))
    assert stored.person_id == sara.person.id and set(stored.answers) == {"personal", "boat", "crew"}


def test_bad_types_are_422_per_field(sara: Caller) -> None:
    response = sara.put(
        DRAFT,
        {
            "step": "boat",
            "data": {**BOAT, "boat_name": {"nested": 1}, "length": "long", "region": ["makkah"], "colour": "red"},
        },
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors == {
        "boat_name": "This answer has the wrong type.",
        "region": "This answer has the wrong type.",
        "colour": "This field is not part of this step.",
    }
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "length": "long", "hull": "gold"}})
    errors = response.get_json()["errors"]
    assert errors["length"] == "Enter a number, like 12.5."
    assert set(errors) == {"length", "hull"}
    group = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "has_crew": True}})
    assert group.status_code == 200
    response = sara.put(DRAFT, {"step": "crew", "data": {"members": [{"national_id": "123", "name": 5}]}})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"members-0-national_id"}
    response = sara.put(DRAFT, {"step": "crew", "data": {"members": "Saeed"}})
    assert response.get_json()["errors"] == {"members": "This answer has the wrong type."}


def test_errors_are_in_the_request_language(sara: Caller) -> None:
    sara.language = "ar"
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "length": "long", "boat_name": ""}})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"length", "boat_name"}
    assert all(arabic(message) for message in errors.values()), errors
    sara.language = "en"
    english = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "length": "long", "boat_name": ""}}).get_json()
    assert english["errors"]["boat_name"] == "Enter a value for “Boat name”."


def test_too_long_answers_are_refused_before_the_schema(sara: Caller) -> None:
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "notes": "x" * 2001}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"notes": "Enter at most 2000 characters."}
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "notes": "x" * 501}})
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"notes"}


def test_script_tags_are_kept_as_text_and_only_ever_served_as_json(sara: Caller) -> None:
    script = '<script>alert("x")</script>'
    response = sara.put(DRAFT, {"step": "personal", "data": {"email": script}})
    assert response.status_code == 422
    assert response.mimetype == "application/json"
    assert script not in response.get_data(as_text=True)  # the error names the problem, not the value
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "boat_name": script}})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["answers"]["boat"]["boat_name"] == script


def test_the_plugins_cross_field_rule_applies_too(sara: Caller) -> None:
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "length": 40, "has_crew": False}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"has_crew": "A boat longer than 30 m needs a crew."}


def test_unknown_or_inapplicable_steps_and_bad_bodies(sara: Caller) -> None:
    assert sara.put(DRAFT, {"step": "cargo", "data": {}}).get_json()["errors"] == {
        "step": "This service has no such step."
    }
    response = sara.put(DRAFT, {"step": "crew", "data": {"members": []}})
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"step"}
    assert sara.put(DRAFT, {"step": "personal", "data": "email"}).status_code == 422
    response = sara.client.put(DRAFT, data="not json", headers=sara.headers(**{"Content-Type": "application/json"}))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == 400
    assert sara.put(DRAFT, ["personal"]).status_code == 400
    assert sara.put("/api/v1/programs/permits/services/nope/draft", {"step": "x", "data": {}}).status_code == 404


def test_a_file_field_takes_only_the_persons_own_document(sara: Caller) -> None:
    response = sara.put(DRAFT, {"step": "boat", "data": {**BOAT, "registration": "not-a-document"}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"registration": "This is not one of your uploaded documents."}
