"""Drafts: saved on the server at every step, resumed after signing in again, purged when stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from gateway.forms import draft_for, drafts_of, purge_stale_drafts
from tests.forms.conftest import BOAT, EMAIL, START, STEP, drafts, page
from tests.identity.conftest import RAJESH, Portal


def test_start_creates_one_draft_and_resumes_it(ahmed: FlaskClient, forms_portal: Portal) -> None:
    assert ahmed.get(START).headers["Location"].endswith("/personal")
    assert ahmed.get(START).status_code == 303
    assert len(drafts(forms_portal.app)) == 1
    ahmed.post(STEP + "personal", data=EMAIL)
    assert ahmed.get(START).headers["Location"].endswith("/boat")


def test_the_draft_is_saved_at_each_step_and_survives_sign_out(ahmed: FlaskClient, forms_portal: Portal) -> None:
    ahmed.get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    (draft,) = drafts(forms_portal.app)
    assert draft.answers == {"personal": {"first_name_ar": "أحمد", "mobile": "+966501234567", "email": EMAIL["email"]}}
    first_saved = draft.updated_at
    ahmed.post(STEP + "boat", data={**BOAT, "boat_name": "Nawras"})
    (draft,) = drafts(forms_portal.app)
    assert draft.answers["boat"]["boat_name"] == "Nawras" and draft.updated_at >= first_saved

    assert ahmed.post("/account/sign-out").status_code in (302, 303)
    assert ahmed.get(STEP + "boat").status_code == 303  # signed out: to the sign-in page

    again = forms_portal.client()
    forms_portal.sign_in(again)
    again.set_cookie("lang", "en")
    assert again.get(START).headers["Location"].endswith("/check")
    html = page(again.get(STEP + "boat"))
    assert 'value="Nawras"' in html and '<option value="makkah" selected>' in html
    assert 'value="1440-07-15"' in html


def test_an_invalid_step_saves_nothing(ahmed: FlaskClient, forms_portal: Portal) -> None:
    ahmed.get(START)
    assert ahmed.post(STEP + "personal", data={"email": "nope"}).status_code == 400
    assert drafts(forms_portal.app)[0].answers == {}


def test_drafts_are_per_person(ahmed: FlaskClient, forms_portal: Portal) -> None:
    ahmed.get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    rajesh = forms_portal.client()
    forms_portal.register(rajesh, RAJESH, mobile="+966561230001", username="rajesh", email="rajesh@example.com")
    assert rajesh.get(START).headers["Location"].endswith("/personal")
    assert 'value=""' in page(rajesh.get(STEP + "personal")).split('id="email"')[1][:200]
    with forms_portal.app.app_context():
        db = forms_portal.app.extensions["gateway"].db_session()
        assert [d.program for d in drafts_of(db, 1)] == ["permits"]
        assert len(drafts_of(db, 2)) == 1 and drafts_of(db, 2)[0].answers == {}
        assert drafts_of(db, 99) == []


def test_purge_deletes_only_stale_drafts(ahmed: FlaskClient, forms_portal: Portal) -> None:
    ahmed.get(START)
    app = forms_portal.app
    now = datetime.now(UTC)
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        draft_for(db, 1, "permits", "other_service", now=now - timedelta(days=31))
        db.commit()
        assert purge_stale_drafts(db, 30, now=now) == 1
        db.commit()
        assert [d.service for d in drafts_of(db, 1)] == ["fishing_licence"]
        assert purge_stale_drafts(db, 30, now=now + timedelta(days=31)) == 1
        db.commit()
        assert drafts_of(db, 1) == []


def test_purge_command(ahmed: FlaskClient, forms_portal: Portal) -> None:
    from gateway.forms.cli import group

    ahmed.get(START)
    runner = forms_portal.app.test_cli_runner()
    result = runner.invoke(group, ["purge-drafts"])
    assert result.exit_code == 0 and "0 drafts older than 30 days deleted" in result.output
    result = runner.invoke(group, ["purge-drafts", "--days", "0"])
    assert result.exit_code != 0  # at least one day


def test_the_migration_creates_exactly_the_drafts_model(forms_portal: Portal) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData, Table, inspect

    from gateway import migrate
    from gateway.forms import Draft
    from gateway.identity.models import Person

    host = forms_portal.app.extensions["gateway"]
    ours_only = MetaData(naming_convention=Draft.metadata.naming_convention)
    for model in (Person, Draft):
        Table.to_metadata(model.__table__, ours_only)  # type: ignore[arg-type]

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "drafts"

    with host.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        assert compare_metadata(context, ours_only) == []
        inspector = inspect(connection)
        assert "ix_drafts_updated_at" in {index["name"] for index in inspector.get_indexes("drafts")}
        assert {c["name"] for c in inspector.get_unique_constraints("drafts")} == {"uq_drafts_person_id"}

    migrate.downgrade(host.database.engine, host.component("gateway"), "0007_applications")
    assert "drafts" not in inspect(host.database.engine).get_table_names()
    migrate.upgrade(host.database.engine, host.migration_components())
    assert "drafts" in inspect(host.database.engine).get_table_names()
