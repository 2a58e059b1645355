"""A portal with the ``engine`` probe plugin (``tests/sample_plugins/engine_probe.py``) and ways to use it.

Shared by the tests of eligibility, dynamic choices, computed fees, citizen
moves, scopes and payments made before the workflow waits. People register
through the real pages (codes read from the real outbox); staff sign in
through the real back-office pages. Kept out of ``conftest.py`` so modules
in several folders import it under one name (``tests.forms.engine_portal``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.api import EXTENSION_KEY as API_EXTENSION
from gateway.api import init_api
from gateway.applications.models import Application
from gateway.backoffice import init_backoffice
from gateway.backoffice.staff import create_staff
from gateway.identity.models import Person
from gateway.payments.models import Bill
from gateway.registry.adapter import DEFAULT_SANDBOX_FILE, RegistryUnavailable
from gateway.registry.records import RegistryRecord
from gateway.registry.sandbox import SandboxRegistry
from tests.api.api_flow import Caller, access_token
from tests.backoffice.conftest import STAFF_PASSWORD
from tests.identity.conftest import AHMED, RAJESH, Portal, latest_code
from tests.sample_plugins import engine_probe, entry_points

ENGINE = "tests.sample_plugins.engine_probe"
LICENCE = "/apply/engine/licence/"
LICENCE_CHECK = LICENCE + "check"
TICKET = "/apply/engine/ticket/"
TICKET_CHECK = TICKET + "check"
EN = {"Accept-Language": "en"}

KHALID = {
    "id_type": "citizen",
    "id_number": "1000000016",
    "first_name": "Khalid",
    "family_name": "Al-Otaibi",
    "birth_date": "12/12/1399",  # 1979-11-02 in the sandbox registry
}
KHALID_MOBILE = "+966551112233"
RAJESH_MOBILE = "+966561230001"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF_MOBILES = itertools.cycle(f"+9665912340{n:02d}" for n in range(100))


class FlakyRegistry:
    """The sandbox registry, except that it cannot be reached for the IDs in ``unreachable``.

    Configured like any real adapter (``GATEWAY_REGISTRY_ADAPTER=tests.forms.engine_portal:FlakyRegistry``);
    a test adds an ID once the person has registered, to cut the registry off for them only.
    """

    def __init__(self, app_config: Mapping[str, Any]) -> None:
        self.sandbox = SandboxRegistry(DEFAULT_SANDBOX_FILE)
        self.unreachable: set[str] = set()

    def lookup(self, id_number: str) -> RegistryRecord | None:
        if id_number in self.unreachable:
            raise RegistryUnavailable("Yakeen timed out")
        return self.sandbox.lookup(id_number)

    def all_records(self) -> Iterable[RegistryRecord]:
        return self.sandbox.all_records()


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _anchored(schema: Any) -> Any:
    """The schema with every local ``$ref`` pointing into the document registered as ``urn:api``."""
    if isinstance(schema, dict):
        return {
            key: ("urn:api" + value if key == "$ref" and value.startswith("#") else _anchored(value))
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_anchored(item) for item in schema]
    return schema


def matches_document(app: Flask, path: str, method: str, response: Any) -> None:
    """Validate a JSON answer against what /api/openapi.json declares for its path, method and status."""
    spec = app.test_client().get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(spec))
    declared = spec["paths"][path][method]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    Draft202012Validator(_anchored(schema), registry=registry).validate(response.get_json())


def submission_key(client: FlaskClient, check_url: str) -> str:
    check = client.get(check_url, headers=EN)
    assert check.status_code == 200, text(check)
    found = re.search(r'name="submission_key" value="([^"]+)"', text(check))
    assert found is not None
    return found.group(1)


@dataclass
class EnginePortal:
    """The portal with the ``engine`` program, the back office and helpers to use them."""

    app: Flask
    portal: Portal

    @classmethod
    def build(cls, make_app: Callable[..., Flask], tmp_path: Path, **overrides: Any) -> EnginePortal:
        engine_probe.reset()
        config: dict[str, Any] = {
            "PLUGINS": "engine",
            "PLUGIN_ENTRY_POINTS": entry_points(engine=ENGINE),
            "RATE_LIMIT_SIGNIN": "1000/minute",
            "RATE_LIMIT_REGISTRATION": "1000/minute",
            "RATE_LIMIT_CODES": "1000/minute",
            "DOCUMENT_STORAGE_PATH": str(tmp_path / "documents"),
        }
        config.update(overrides)
        app = make_app(**config)
        if "gateway.backoffice" not in app.extensions:
            init_backoffice(app)
        if API_EXTENSION not in app.extensions:
            init_api(app)
        return cls(app=app, portal=Portal(app))

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.app.extensions["gateway"].database.session_factory() as session:
            yield session

    # -- people ------------------------------------------------------------------------------

    def ahmed(self) -> FlaskClient:
        client = self.app.test_client()
        self.portal.register(client)
        return client

    def rajesh(self) -> FlaskClient:
        client = self.app.test_client()
        self.portal.register(client, RAJESH, mobile=RAJESH_MOBILE, username="rajesh86", email="rajesh@example.com")
        return client

    def khalid(self) -> FlaskClient:
        """Khalid, who owes 1,250 SAR of traffic violations in the sandbox registry."""
        client = self.app.test_client()
        self.portal.register(client, KHALID, mobile=KHALID_MOBILE, username="khalid79", email="khalid@example.com")
        return client

    def person(self, id_number: str = AHMED["id_number"]) -> Person:
        with self.db() as db:
            person = db.scalars(select(Person).where(Person.id_number == id_number)).one()
            db.expunge(person)
            return person

    def api(self, id_number: str = AHMED["id_number"]) -> Caller:
        """The person's app, with a real access token (``openid applications``) from the portal's provider."""
        person = self.person(id_number)
        return Caller(self.app.test_client(), person, access_token(self.app, person))

    # -- applications ------------------------------------------------------------------------

    def licence_to_check(self, client: FlaskClient, office: str = engine_probe.RIYADH, value: str = "4000") -> str:
        """Answer the licence's one step; the submission key of its check page."""
        assert client.get(LICENCE).status_code == 303
        saved = client.post(LICENCE + "about", data={"office": office, "value": value}, headers=EN)
        assert saved.status_code == 303, text(saved)
        return submission_key(client, LICENCE_CHECK)

    def ticket(
        self, client: FlaskClient, office: str = engine_probe.RIYADH, subject: str = "My fridge", *, pdf: bool = False
    ) -> str:
        """A ticket sent through the real pages (with a PDF if asked); its reference."""
        assert client.get(TICKET).status_code == 303
        data: dict[str, Any] = {"office": office, "subject": subject}
        if pdf:
            data["attachment"] = (BytesIO(MINIMAL_PDF), "quote.pdf")
        saved = client.post(TICKET + "ticket", data=data, content_type="multipart/form-data", headers=EN)
        assert saved.status_code == 303, text(saved)
        sent = client.post(TICKET_CHECK, data={"submission_key": submission_key(client, TICKET_CHECK)})
        assert sent.status_code == 303, text(sent)
        return sent.headers["Location"].rsplit("/", 1)[1]

    def application(self, reference: str) -> Application:
        with self.db() as db:
            application = db.scalars(select(Application).where(Application.reference == reference)).one()
            _ = application.events
            db.expunge_all()
            return application

    def applications(self) -> list[Application]:
        with self.db() as db:
            found = list(db.scalars(select(Application).order_by(Application.id)).all())
            db.expunge_all()
            return found

    def bills(self) -> list[Bill]:
        with self.db() as db:
            found = list(db.scalars(select(Bill).order_by(Bill.id)).all())
            db.expunge_all()
            return found

    # -- staff -------------------------------------------------------------------------------

    def staff(
        self, username: str, roles: dict[str, str], scopes: dict[str, str] | None = None, *, admin: bool = False
    ) -> tuple[int, FlaskClient]:
        """A staff account (with scopes, if given) and a client signed in as it."""
        mobile = next(STAFF_MOBILES)
        with self.app.test_request_context(), self.db() as db:
            account = create_staff(
                db,
                username=username,
                full_name=f"{username.title()} Staff",
                mobile=mobile,
                password=STAFF_PASSWORD,
                is_admin=admin,
                roles=roles,
                scopes=scopes,
            )
            db.commit()
            staff_id = account.id
        client = self.app.test_client()
        first = client.post("/backoffice/sign-in", data={"username": username, "password": STAFF_PASSWORD})
        assert first.status_code == 303, text(first)
        second = client.post("/backoffice/sign-in/code", data={"code": latest_code(self.app, mobile)})
        assert second.status_code == 303, text(second)
        return staff_id, client
