"""Scopes: an application made to one part of a program, and staff limited to that part.

The ``engine`` probe's ticket names its office in ``scope_answer``
(``ticket.office``). A staff role with a scope sees and acts on only that
office's applications: queue, application page, moves, documents, bills and
assignment candidates; everything else is a 404 like an unknown reference.
Unscoped staff see the whole program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.audit.models import AuditEvent
from gateway.backoffice.cli import group
from gateway.backoffice.models import StaffAccount, StaffRole
from gateway.documents.models import Document
from tests.backoffice.conftest import STAFF_PASSWORD
from tests.forms.engine_portal import EN, EnginePortal, text
from tests.sample_plugins.engine_probe import JEDDAH, RIYADH


@pytest.fixture
def engine(make_app: Callable[..., Flask], tmp_path: Path) -> EnginePortal:
    return EnginePortal.build(make_app, tmp_path)


def _document_of(engine: EnginePortal, reference: str) -> str:
    application = engine.application(reference)
    with engine.db() as db:
        return db.scalars(select(Document.public_id).where(Document.application_id == application.id)).one()


def _roles(engine: EnginePortal, username: str) -> list[tuple[str, str, str | None]]:
    with engine.db() as db:
        account = db.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()
        return [(role.program, role.role, role.scope) for role in account.roles]


def _page(client: FlaskClient, reference: str) -> int:
    return int(client.get(f"/backoffice/engine/applications/{reference}").status_code)


def test_the_scope_answer_is_kept_with_the_application(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    riyadh, jeddah = engine.ticket(ahmed, RIYADH), engine.ticket(ahmed, JEDDAH)
    assert (engine.application(riyadh).scope, engine.application(jeddah).scope) == (RIYADH, JEDDAH)


def test_scoped_staff_see_and_act_on_their_scope_only(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    riyadh = engine.ticket(ahmed, RIYADH, "Riyadh fridge", pdf=True)
    jeddah = engine.ticket(ahmed, JEDDAH, "Jeddah oven", pdf=True)
    _riy_id, riy = engine.staff("riy", {"engine": "reviewer"}, {"engine": RIYADH})
    engine.staff("jed", {"engine": "supervisor"}, {"engine": JEDDAH})
    _boss_id, boss = engine.staff("boss", {"engine": "supervisor"})

    queue = text(riy.get("/backoffice/engine/queue", headers=EN))
    assert riyadh in queue and jeddah not in queue and "<p>1 application</p>" in queue
    assert "No applications match." in text(riy.get(f"/backoffice/engine/queue?reference={jeddah}", headers=EN))
    assert _page(riy, riyadh) == 200 and _page(riy, jeddah) == 404
    assert riy.get(f"/backoffice/engine/documents/{_document_of(engine, riyadh)}").status_code == 200
    assert riy.get(f"/backoffice/engine/documents/{_document_of(engine, jeddah)}").status_code == 404
    other_move = riy.post(f"/backoffice/engine/applications/{jeddah}/transition", data={"target": "accepted"})
    assert other_move.status_code == 404 and engine.application(jeddah).state == "submitted"
    jeddah_bill = next(bill for bill in engine.bills() if bill.application_id == engine.application(jeddah).id)
    paid = riy.post(f"/backoffice/engine/applications/{jeddah}/bills/{jeddah_bill.bill_number}/mark-paid")
    assert paid.status_code == 404
    own_move = riy.post(f"/backoffice/engine/applications/{riyadh}/transition", data={"target": "accepted"})
    assert own_move.status_code == 303 and engine.application(riyadh).state == "accepted"

    everything = text(boss.get("/backoffice/engine/queue", headers=EN))
    assert riyadh in everything and jeddah in everything and "2 applications" in everything
    assert _page(boss, riyadh) == 200 and _page(boss, jeddah) == 200
    assert boss.get(f"/backoffice/engine/documents/{_document_of(engine, jeddah)}").status_code == 200


def test_assignment_offers_only_staff_who_may_see_the_application(engine: EnginePortal) -> None:
    ahmed = engine.ahmed()
    riyadh, jeddah = engine.ticket(ahmed, RIYADH), engine.ticket(ahmed, JEDDAH)
    riy_id, _riy = engine.staff("riy", {"engine": "reviewer"}, {"engine": RIYADH})
    jed_id, jed = engine.staff("jed", {"engine": "supervisor"}, {"engine": JEDDAH})
    boss_id, boss = engine.staff("boss", {"engine": "supervisor"})

    riyadh_page = text(boss.get(f"/backoffice/engine/applications/{riyadh}", headers=EN))
    assert "Riy Staff" in riyadh_page and "Boss Staff" in riyadh_page and "Jed Staff" not in riyadh_page
    url = f"/backoffice/engine/applications/{riyadh}/assign"
    assert boss.post(url, data={"staff_id": str(jed_id)}).status_code == 400
    assert boss.post(url, data={"staff_id": str(riy_id)}).status_code == 303

    jeddah_page = text(jed.get(f"/backoffice/engine/applications/{jeddah}", headers=EN))
    assert "Jed Staff" in jeddah_page and "Boss Staff" in jeddah_page and "Riy Staff" not in jeddah_page
    assert (
        jed.post(f"/backoffice/engine/applications/{jeddah}/assign", data={"staff_id": str(riy_id)}).status_code == 400
    )
    assert (
        jed.post(f"/backoffice/engine/applications/{jeddah}/assign", data={"staff_id": str(boss_id)}).status_code == 303
    )
    assert jed.post(url, data={"staff_id": str(jed_id)}).status_code == 404  # not his office's application


def test_the_admin_pages_set_and_refuse_scopes(engine: EnginePortal) -> None:
    _root_id, admin = engine.staff("root", {}, admin=True)
    new = {
        "username": "nadia",
        "full_name": "Nadia Al-Harbi",
        "mobile": "0561234599",
        "password": STAFF_PASSWORD,
        "role-engine": "reviewer",
    }
    for scope, message in (
        ("has space", "Write a scope as 1 to 64 letters"),
        ("-leading-dash", "Write a scope as 1 to 64 letters"),
        ("<b>x</b>", "Write a scope as 1 to 64 letters"),
        ("A" * 65, "Write a scope as 1 to 64 letters"),
    ):
        refused = admin.post("/backoffice/admin/staff/new", data={**new, "scope-engine": scope}, headers=EN)
        assert refused.status_code == 400, scope
        assert message in text(refused) and "<b>x</b>" not in text(refused)
    with engine.db() as db:
        assert db.scalars(select(StaffAccount.username).order_by(StaffAccount.id)).all() == ["root"]
    # A scope left in the form of a program with no role goes with the role (removing a role clears it).
    no_role = admin.post(
        "/backoffice/admin/staff/new",
        data={**new, "username": "noroles", "mobile": "0561234598", "role-engine": "", "scope-engine": RIYADH},
        headers=EN,
    )
    assert no_role.status_code == 303
    assert _roles(engine, "noroles") == []

    created = admin.post("/backoffice/admin/staff/new", data={**new, "scope-engine": f"  {RIYADH} "})
    assert created.status_code == 303
    assert _roles(engine, "nadia") == [("engine", "reviewer", RIYADH)]
    nadia_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert f'value="{RIYADH}"' in text(admin.get(f"/backoffice/admin/staff/{nadia_id}", headers=EN))

    edit = f"/backoffice/admin/staff/{nadia_id}"
    assert admin.post(edit, data={"role-engine": "supervisor", "scope-engine": JEDDAH}).status_code == 303
    assert _roles(engine, "nadia") == [("engine", "supervisor", JEDDAH)]
    assert admin.post(edit, data={"role-engine": "reviewer", "scope-engine": "bad scope"}).status_code == 400
    assert _roles(engine, "nadia") == [("engine", "supervisor", JEDDAH)]
    assert admin.post(edit, data={"role-engine": "reviewer", "scope-engine": ""}).status_code == 303
    assert _roles(engine, "nadia") == [("engine", "reviewer", None)]  # the whole program again
    assert admin.post(edit, data={"role-engine": "", "scope-engine": ""}).status_code == 303
    assert _roles(engine, "nadia") == []
    with engine.db() as db:
        details = [
            event.details
            for event in db.scalars(select(AuditEvent).where(AuditEvent.event.like("backoffice.admin.%"))).all()
        ]
    assert details[0]["scopes"] == {}  # noroles
    assert details[1]["scopes"] == {"engine": RIYADH} and details[2]["scopes"] == {"engine": JEDDAH}


def test_the_staff_command_takes_scopes(engine: EnginePortal) -> None:
    runner = engine.app.test_cli_runner()

    def add(username: str, mobile: str, *options: str) -> int:
        base = ["add", username, "--name", username.title(), "--mobile", mobile, "--password-stdin"]
        result = runner.invoke(group, [*base, *options], input=STAFF_PASSWORD + "\n")
        return int(result.exit_code)

    assert add("nadia", "0581234570", "--role", "engine:reviewer", "--scope", f"engine:{RIYADH}") == 0
    assert _roles(engine, "nadia") == [("engine", "reviewer", RIYADH)]
    assert "engine:reviewer@OFF-RIY" in runner.invoke(group, ["list"]).output
    for options in (
        ("--role", "engine:reviewer", "--scope", RIYADH),  # no program
        ("--role", "engine:reviewer", "--scope", "engine:"),
        ("--role", "engine:reviewer", "--scope", "engine:bad scope"),
        ("--role", "engine:reviewer", "--scope", "engine:" + "A" * 65),
        ("--scope", f"engine:{RIYADH}"),  # a scope without a role
    ):
        assert add("other", "0581234571", *options) == 1, options
    with engine.db() as db:
        assert db.scalars(select(StaffRole.scope)).all() == [RIYADH]
        assert db.scalars(select(StaffAccount.username)).all() == ["nadia"]
