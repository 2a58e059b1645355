"""Fixtures for the applications tests: a portal with two first-party programs and the probe plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk import Program
from gateway.applications import EXTENSION_KEY, init_applications
from gateway.identity.models import Person
from tests.identity.conftest import AHMED, RAJESH, Portal
from tests.sample_plugins import entry_points
from tests.sample_plugins import workflow_probe as probe

PROBE = "tests.sample_plugins.workflow_probe"
RAJESH_MOBILE = "+966561230001"


@dataclass
class Citizens:
    """A portal with the applications pages, and helpers to get signed-in people."""

    portal: Portal

    @property
    def app(self) -> Flask:
        return self.portal.app

    def ahmed(self) -> FlaskClient:
        client = self.app.test_client()
        self.portal.register(client)
        return client

    def rajesh(self) -> FlaskClient:
        client = self.app.test_client()
        self.portal.register(client, RAJESH, mobile=RAJESH_MOBILE, username="rajesh86", email="rajesh@example.com")
        return client

    def db(self) -> Session:
        return self.app.extensions["gateway"].database.session_factory()

    def person(self, db: Session, id_number: str = AHMED["id_number"]) -> Person:
        person = db.scalars(select(Person).where(Person.id_number == id_number)).one()
        return person

    def program(self, slug: str) -> Program:
        for record in self.app.extensions["gateway"].plugins.serving():
            if record.program is not None and record.program.slug == slug:
                program: Program = record.program
                return program
        raise LookupError(slug)


@pytest.fixture(autouse=True)
def _fresh_probe() -> Iterator[None]:
    probe.reset()
    yield
    probe.reset()


@pytest.fixture
def citizens(make_app: Callable[..., Flask]) -> Citizens:
    app = make_app(
        PLUGINS="musaned,gosi,probe",
        PLUGIN_ENTRY_POINTS=entry_points(musaned="bawaba_musaned.plugin", gosi="bawaba_gosi.plugin", probe=PROBE),
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
    )
    if EXTENSION_KEY not in app.extensions:
        init_applications(app)
    return Citizens(Portal(app))
