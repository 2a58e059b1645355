"""The administrator's pages, the `gateway staff` commands and the migration of the staff tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import MetaData, Table, inspect, select

from gateway.applications.models import Application
from gateway.audit.models import AuditEvent
from gateway.backoffice.models import ApplicationAssignment, StaffAccount, StaffRole
from gateway.identity.models import Person
from tests.backoffice.conftest import STAFF_PASSWORD, Office, text
from tests.identity.conftest import latest_code

EN = {"Accept-Language": "en"}
STAFF_TABLES = {"staff_accounts", "staff_roles", "application_assignments"}
NEW_STAFF = {
    "username": "Mona",
    "full_name": "Mona Al-Harbi",
    "email": "mona@example.gov.sa",
    "mobile": "0561234599",
    "password": STAFF_PASSWORD,
    "role-probe": "supervisor",
    "role-permits": "",
}


def _account(office: Office, username: str) -> StaffAccount:
    with office.db() as db:
        account = db.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()
        _ = account.roles
        db.expunge_all()
        return account


def test_admin_creates_staff_who_can_then_sign_in(office: Office) -> None:
    admin = office.signed_in("root", admin=True)
    assert "Mona" not in text(admin.get("/backoffice/admin/staff", headers=EN))
    created = admin.post("/backoffice/admin/staff/new", data=NEW_STAFF)
    assert created.status_code == 303, text(created)
    mona = _account(office, "mona")
    assert mona.mobile == "+966561234599" and not mona.is_admin
    assert [(role.program, role.role) for role in mona.roles] == [("probe", "supervisor")]
    assert "mona" in text(admin.get("/backoffice/admin/staff", headers=EN))
    client = office.app.test_client()
    office.sign_in(client, "mona", "+966561234599")
    assert client.get("/backoffice/probe/queue").status_code == 200
    assert client.get("/backoffice/admin/staff").status_code == 404  # not an administrator
    with office.db() as db:
        entries = db.scalars(select(AuditEvent).where(AuditEvent.event == "backoffice.admin.staff_created")).all()
        assert [entry.details["staff"] for entry in entries] == [mona.id]


def test_admin_form_refuses_bad_input(office: Office) -> None:
    admin = office.signed_in("root", admin=True)
    bad = {
        **NEW_STAFF,
        "username": "<b>x",
        "mobile": "12",
        "password": "password",
        "email": "not-an-email",
        "full_name": "",
    }
    answer = admin.post("/backoffice/admin/staff/new", data=bad, headers=EN)
    assert answer.status_code == 400
    page = text(answer)
    assert "<b>x" not in page and "&lt;b&gt;x" in page
    unknown_role = admin.post("/backoffice/admin/staff/new", data={**NEW_STAFF, "role-probe": "emperor"})
    assert unknown_role.status_code == 400
    assert admin.post("/backoffice/admin/staff/new", data=NEW_STAFF).status_code == 303
    assert admin.post("/backoffice/admin/staff/new", data=NEW_STAFF).status_code == 400  # username taken
    with office.db() as db:
        assert db.scalars(select(StaffAccount.username).order_by(StaffAccount.id)).all() == ["root", "mona"]


def test_admin_sets_roles_and_deactivates(office: Office) -> None:
    admin = office.signed_in("root", admin=True)
    sara_id, _mobile = office.staff("sara", {"probe": "reviewer"})
    sara = office.app.test_client()
    office.sign_in(sara, "sara", _mobile)
    assert sara.get("/backoffice/permits/queue").status_code == 404
    saved = admin.post(f"/backoffice/admin/staff/{sara_id}", data={"role-probe": "", "role-permits": "reviewer"})
    assert saved.status_code == 303
    assert sara.get("/backoffice/permits/queue").status_code == 200
    assert sara.get("/backoffice/probe/queue").status_code == 404
    assert admin.post(f"/backoffice/admin/staff/{sara_id}/deactivate").status_code == 303
    assert sara.get("/backoffice/permits/queue").status_code == 303
    assert not _account(office, "sara").active
    assert admin.get("/backoffice/admin/staff/999999").status_code == 404
    root_id = _account(office, "root").id
    assert admin.post(f"/backoffice/admin/staff/{root_id}/deactivate").status_code == 303
    assert _account(office, "root").active  # an administrator cannot lock themself out


def test_staff_commands(office: Office) -> None:
    runner = office.app.test_cli_runner()
    from gateway.backoffice.cli import group

    added = runner.invoke(
        group,
        [
            "add",
            "Khalid",
            "--name",
            "Khalid Saleh",
            "--mobile",
            "0591234577",
            "--admin",
            "--role",
            "probe:reviewer",
            "--password-stdin",
        ],
        input=STAFF_PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    khalid = _account(office, "khalid")
    assert khalid.is_admin and [(role.program, role.role) for role in khalid.roles] == [("probe", "reviewer")]
    listed = runner.invoke(group, ["list"])
    assert "khalid" in listed.output and "probe:reviewer" in listed.output and "admin" in listed.output
    weak = runner.invoke(
        group, ["add", "weak", "--name", "W", "--mobile", "0591234578", "--password-stdin"], input="123\n"
    )
    assert weak.exit_code == 1 and "password" in weak.output
    bad_role = runner.invoke(
        group,
        ["add", "other", "--name", "O", "--mobile", "0591234579", "--role", "probe", "--password-stdin"],
        input=STAFF_PASSWORD + "\n",
    )
    assert bad_role.exit_code == 1
    client = office.app.test_client()
    client.post("/backoffice/sign-in", data={"username": "khalid", "password": STAFF_PASSWORD})
    assert (
        client.post("/backoffice/sign-in/code", data={"code": latest_code(office.app, "+966591234577")}).status_code
        == 303
    )
    assert client.get("/backoffice/admin/staff").status_code == 200


def test_the_migration_creates_exactly_the_models_tables(office: Office) -> None:
    app: Flask = office.app
    engine = app.extensions["gateway"].database.engine
    ours_only = MetaData(naming_convention=StaffAccount.metadata.naming_convention)
    for model in (Person, Application, StaffAccount, StaffRole, ApplicationAssignment):
        Table.to_metadata(model.__table__, ours_only)  # type: ignore[arg-type]

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in STAFF_TABLES

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        assert compare_metadata(context, ours_only) == []
        inspector = inspect(connection)
        unique = {constraint["name"] for constraint in inspector.get_unique_constraints("staff_roles")}
    assert "uq_staff_roles_staff_id" in unique
