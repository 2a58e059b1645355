"""The audit log's blind spots of issue 11: refused access, password spraying, rolled-back transactions.

A refused look at another person's application, document or bill, and a
member of staff outside their program or office, answer the same 404 as
before, and the audit log now says who asked for what and why it was refused
(``access.denied``, written where the decision is taken). Many different
accounts failing from one address raise ``alert.password_spraying`` and a
warning. A request that fails on an unexpected error leaves
``request.rolled_back`` (path, error class, person), written in a transaction
of its own, while nothing of its work is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from gateway.audit.models import AuditEvent
from gateway.identity.current import current_person_record
from gateway.identity.models import Person
from tests.identity.conftest import GOOD_PASSWORD, Portal
from tests.oidc.oidc_flow import add_client, tokens_for
from tests.security.pages import unknown_reference
from tests.security.portal import EN, RELAXED_LIMITS, World
from tests.security.verdict import note


def last_id(app: Flask) -> int:
    with app.extensions["gateway"].database.session_factory() as db:
        return int(db.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)


def events_since(app: Flask, marker: int, event: str) -> list[AuditEvent]:
    with app.extensions["gateway"].database.session_factory() as db:
        query = select(AuditEvent).where(AuditEvent.id > marker, AuditEvent.event == event).order_by(AuditEvent.id)
        return list(db.scalars(query))


def person_id_of(world: World, id_number: str) -> int:
    with world.db() as db:
        return int(db.scalars(select(Person.id).where(Person.id_number == id_number)).one())


def test_another_persons_application_document_and_bill_are_recorded_as_denied(world: World) -> None:
    ahmed = world.ahmed.client
    ahmed_id = person_id_of(world, world.ahmed.id_number)
    targets = {
        "application": (f"/applications/{world.noura.visa_request}", world.noura.visa_request),
        "document": (f"/documents/{world.noura.document}", world.noura.document),
        "bill": (f"/payments/bills/{world.noura.contract_bill}", world.noura.contract_bill),
    }
    confirmation = f"/apply/musaned/new_visa/done/{world.noura.visa_request}"
    for kind, (path, identifier) in targets.items():
        marker = last_id(world.app)
        assert ahmed.get(path, headers=EN).status_code == 404
        denied = events_since(world.app, marker, "access.denied")
        assert len(denied) == 1, kind
        assert denied[0].person_id == ahmed_id and denied[0].actor == f"person:{ahmed_id}"
        assert denied[0].details["kind"] == kind and denied[0].details["target"] == identifier
        assert denied[0].details["reason"] == "another_persons" and denied[0].details["path"] == path
    marker = last_id(world.app)
    assert ahmed.get(confirmation, headers=EN).status_code == 404
    assert [event.details["path"] for event in events_since(world.app, marker, "access.denied")] == [confirmation]
    marker = last_id(world.app)
    pay = ahmed.post(f"/payments/bills/{world.noura.contract_bill}/sandbox-pay")
    assert pay.status_code == 404
    assert [event.details["kind"] for event in events_since(world.app, marker, "access.denied")] == ["bill"]
    assert world.bill(world.noura.contract_bill).status == "unpaid"
    marker = last_id(world.app)
    never = unknown_reference(world.noura.visa_request)
    assert ahmed.get(f"/applications/{never}", headers=EN).status_code == 404
    assert events_since(world.app, marker, "access.denied") == []  # a mistyped reference is no attempt


def test_the_api_records_another_persons_application_as_denied(world: World) -> None:
    app_client = add_client(world.app, scopes=["openid", "profile", "applications"], name="Audit test app")
    token = tokens_for(world.noura.client, app_client, scope="openid applications")["access_token"]
    bearer = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    marker = last_id(world.app)
    answer = world.app.test_client().get(f"/api/v1/applications/{world.ahmed.contract}", headers=bearer)
    assert answer.status_code == 404
    denied = events_since(world.app, marker, "access.denied")
    assert len(denied) == 1 and denied[0].person_id == person_id_of(world, world.noura.id_number)
    assert denied[0].details["via"] == "api" and denied[0].details["target"] == world.ahmed.contract


def test_staff_outside_their_program_or_office_are_recorded_as_denied(world: World) -> None:
    cases = [
        (world.gosi_staff, "/backoffice/musaned/queue", "outside_their_programs"),
        (world.gosi_staff, f"/backoffice/musaned/applications/{world.ahmed.contract}", "outside_their_programs"),
        (world.gosi_staff, f"/backoffice/gosi/applications/{world.ahmed.visa_request}", "outside_the_program"),
        (world.gosi_staff, f"/backoffice/gosi/documents/{world.ahmed.document}", "outside_the_program"),
        (world.office_b, f"/backoffice/musaned/applications/{world.ahmed.contract}", "outside_their_office"),
    ]
    for client, path, reason in cases:
        marker = last_id(world.app)
        assert client.get(path, headers=EN).status_code == 404, path
        denied = events_since(world.app, marker, "access.denied")
        assert [event.details["reason"] for event in denied] == [reason], path
        assert denied[0].actor.startswith("staff:") and denied[0].details["path"] == path
    note(__name__, "another person's application, document, bill; staff outside program or office: access.denied")


@pytest.fixture
def portal(secure_portal: Callable[..., Flask]) -> Portal:
    portal = Portal(secure_portal(**RELAXED_LIMITS, SIGNIN_SPRAY_ACCOUNTS=10, SIGNIN_SPRAY_MINUTES=10))
    portal.register(portal.client())
    return portal


def spray(portal: Portal, address: str, identifiers: list[str]) -> None:
    client = portal.client()
    client.environ_base["REMOTE_ADDR"] = address
    for identifier in identifiers:
        answer = client.post("/account/sign-in", data={"identifier": identifier, "password": "Summer2026!"})
        assert answer.status_code == 401


IDS = [f"10000000{n:02d}" for n in range(20, 32)]


def test_password_spraying_from_one_address_raises_one_alert(portal: Portal, caplog: pytest.LogCaptureFixture) -> None:
    marker = last_id(portal.app)
    with caplog.at_level(logging.WARNING, logger="gateway.security"):
        spray(portal, "203.0.113.90", IDS[:9])
        assert events_since(portal.app, marker, "alert.password_spraying") == []
        spray(portal, "198.51.100.90", IDS[:9])  # another address: its own count
        assert events_since(portal.app, marker, "alert.password_spraying") == []
        spray(portal, "203.0.113.90", [IDS[0], IDS[0], "1000000008"])  # the same ID again counts once
        alerts = events_since(portal.app, marker, "alert.password_spraying")
        assert len(alerts) == 1
        assert alerts[0].address == "203.0.113.90" and alerts[0].details["accounts"] == 10
        spray(portal, "203.0.113.90", IDS[9:])
    assert len(events_since(portal.app, marker, "alert.password_spraying")) == 1  # once per window
    warnings = [record.getMessage() for record in caplog.records if "spraying" in record.getMessage()]
    assert len(warnings) == 1 and "203.0.113.90" in warnings[0]
    failed = events_since(portal.app, marker, "sign_in.failed")
    assert all("1000000008" not in str(event.details) for event in failed)  # digests, not ID numbers
    note(__name__, "10 different IDs failing from one address in 10 min: one alert.password_spraying and a warning")


def test_staff_usernames_count_towards_spraying_too(secure_portal: Callable[..., Flask]) -> None:
    app = secure_portal(**RELAXED_LIMITS, SIGNIN_SPRAY_ACCOUNTS=5)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.91"
    marker = last_id(app)
    for name in ("admin", "root", "supervisor", "reviewer", "operator"):
        assert client.post("/backoffice/sign-in", data={"username": name, "password": "Summer2026!"}).status_code == 401
    assert len(events_since(app, marker, "alert.password_spraying")) == 1


SECRET_IN_MESSAGE = "card 4111111111111111 password hunter2"


@pytest.fixture
def failing_portal(secure_portal: Callable[..., Flask]) -> Portal:
    """A portal with one extra page that changes the person's email, then fails on an unexpected error."""
    app = secure_portal(**RELAXED_LIMITS)

    def change_then_fail() -> Any:
        person = current_person_record()
        assert person is not None
        person.email = "changed@example.com"
        current_app.extensions["gateway"].db_session().flush()
        raise LookupError(SECRET_IN_MESSAGE)

    app.add_url_rule("/account/test-failure", "test_failure", change_then_fail, methods=["POST"])
    return Portal(app)


def test_a_transaction_rolled_back_by_an_unexpected_error_is_recorded_alone(failing_portal: Portal) -> None:
    portal = failing_portal
    client = portal.client()
    portal.register(client)
    portal.sign_in(client)
    marker = last_id(portal.app)
    failed = client.post("/account/test-failure", data={"password": GOOD_PASSWORD}, headers=EN)
    assert failed.status_code == 500
    rolled_back = events_since(portal.app, marker, "request.rolled_back")
    assert len(rolled_back) == 1
    event = rolled_back[0]
    assert event.person_id is not None and event.details["path"] == "/account/test-failure"
    assert event.details["error"] == "builtins.LookupError" and event.details["method"] == "POST"
    assert "4111" not in str(event.details) and "hunter2" not in str(event.details)
    assert GOOD_PASSWORD not in str(event.details)
    with portal.app.extensions["gateway"].database.session_factory() as db:
        assert db.get(Person, event.person_id).email != "changed@example.com"  # the work itself is gone
    assert client.get("/account/", headers=EN).status_code == 200  # still signed in, the portal works
    note(__name__, "a request failing mid-transaction: its work rolled back, request.rolled_back recorded apart")
