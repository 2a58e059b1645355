"""A second plugin: a program that refuses a submission in its hook, and a service without a form."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from openapi_spec_validator import validate
from sqlalchemy import select

from gateway.applications import Application
from gateway.forms import Draft
from tests.api.api_flow import PERMITS, caller_for
from tests.oidc.oidc_flow import fetch_all
from tests.sample_plugins import entry_points, workflow_probe

PROBE = "/api/v1/programs/probe/services/permit"


@pytest.fixture
def probe_app(make_api_app: Callable[..., Flask]) -> Iterator[Flask]:
    workflow_probe.reset()
    yield make_api_app(
        PLUGINS="permits,probe",
        PLUGIN_ENTRY_POINTS=entry_points(permits=PERMITS, probe="tests.sample_plugins.workflow_probe"),
    )
    workflow_probe.reset()


def test_a_refused_submission_keeps_the_draft_and_nothing_else(probe_app: Flask) -> None:
    sara = caller_for(probe_app)
    assert sara.put(PROBE + "/draft", {"step": "about", "data": {"lake": "asir"}}).status_code == 200
    workflow_probe.RAISE_ON.add("submitted")
    response = sara.post(PROBE + "/submit", {"submission_key": "probe-key-0001"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == 503
    assert fetch_all(probe_app, select(Application)) == []
    assert len(fetch_all(probe_app, select(Draft))) == 1
    workflow_probe.RAISE_ON.clear()
    response = sara.post(PROBE + "/submit", {"submission_key": "probe-key-0001"})
    assert response.status_code == 201
    assert response.get_json()["bills"] == []  # this service has no fee


def test_programs_of_every_plugin_and_their_steps_in_the_document(probe_app: Flask) -> None:
    sara = caller_for(probe_app)
    programs = {program["slug"]: program for program in sara.get("/api/v1/programs").get_json()["programs"]}
    assert list(programs) == ["permits", "probe"]
    services = {service["slug"]: service["has_form"] for service in programs["probe"]["services"]}
    assert services == {"permit": True, "note": False}
    assert sara.get("/api/v1/programs/probe/services/note/form").status_code == 404
    spec = probe_app.test_client().get("/api/openapi.json").get_json()
    validate(spec)
    schemas = spec["components"]["schemas"]
    assert {"probe.permit.about", "permits.fishing_licence.boat"} <= set(schemas)
    assert schemas["probe.permit.about"]["properties"]["lake"]["x-label"] == {"ar": "Which lake", "en": "Which lake"}
