"""``sdk.applications_of`` and ``sdk.application_url``, called from a plugin's own page.

The ``engine`` probe's ``/engine/mine`` lists what the signed-in person
applied for in that program. It must list the person's own applications
only: not another person's, not another program's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from gateway.applications.service import program_named, submit_application
from gateway.identity.models import Person
from tests.forms.engine_portal import LICENCE_CHECK, EnginePortal
from tests.identity.conftest import AHMED
from tests.sample_plugins import entry_points
from tests.sample_plugins.engine_probe import JEDDAH, RIYADH


def test_a_plugin_lists_the_persons_own_applications_only(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    engine = EnginePortal.build(
        make_app,
        tmp_path,
        PLUGINS="engine,probe",
        PLUGIN_ENTRY_POINTS=entry_points(
            engine="tests.sample_plugins.engine_probe", probe="tests.sample_plugins.workflow_probe"
        ),
    )
    visitor = engine.app.test_client().get("/engine/mine")
    assert visitor.status_code in (302, 303) and "/account/sign-in" in visitor.headers["Location"]

    ahmed, rajesh = engine.ahmed(), engine.rajesh()
    ticket = engine.ticket(ahmed, JEDDAH)
    key = engine.licence_to_check(ahmed, RIYADH)
    licence = ahmed.post(LICENCE_CHECK, data={"submission_key": key}).headers["Location"].rsplit("/", 1)[1]
    rajeshs = engine.ticket(rajesh, RIYADH)
    with engine.app.test_request_context(), engine.db() as db:  # Ahmed's application to another program
        person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
        program = program_named("probe")
        assert program is not None
        service = program.service("note")
        assert service is not None
        other = submit_application(
            db, person=person, program=program, service=service, answers={}, submission_key=secrets.token_hex(16)
        ).reference
        db.commit()

    listed = ahmed.get("/engine/mine", headers={"Accept-Language": "en"}).get_json()["applications"]
    assert [item["reference"] for item in listed] == [licence, ticket]  # newest first
    assert listed[1] == {
        "reference": ticket,
        "service": "ticket",
        "state": "submitted",
        "state_label": "Submitted",
        "scope": JEDDAH,
        "url": f"/applications/{ticket}",
    }
    assert listed[0]["scope"] == RIYADH and listed[0]["url"] == f"/applications/{licence}"
    assert other not in str(listed) and rajeshs not in str(listed)
    tickets_only = ahmed.get("/engine/mine?service=ticket").get_json()["applications"]
    assert [item["reference"] for item in tickets_only] == [ticket]
    assert ahmed.get("/engine/mine?service=nothing").get_json() == {"applications": []}
    assert [item["reference"] for item in rajesh.get("/engine/mine").get_json()["applications"]] == [rajeshs]
    # The address the plugin was given is the person's own page, and nobody else's.
    assert ahmed.get(listed[1]["url"]).status_code == 200
    assert rajesh.get(listed[1]["url"]).status_code == 404
