"""Standing records through their pages: sections saved as the person goes, confirmed versions, members index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

import bawaba_sdk as sdk
from gateway import migrate
from gateway.database import Base
from gateway.records import RecordMemberRow, RecordVersionRow, StandingRecordRow
from tests.sample_plugins import TENANCY, entry_points, tenancy

BASE = "/records/tenancy/household/"
AHMED, KHALID, FATIMAH = "1000000008", "1000000016", "1000000032"
RENTED = {"kind": "rented", "rent": "24000.00"}


@pytest.fixture
def portal(make_app: Callable[..., Flask]) -> Flask:
    tenancy.VALIDATE_RAISES.clear()
    return make_app(PLUGINS="tenancy", PLUGIN_ENTRY_POINTS=entry_points(tenancy=TENANCY))


def english(client: FlaskClient) -> FlaskClient:
    client.set_cookie("lang", "en")
    return client


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def rows(app: Flask, model: Any) -> list[Any]:
    with app.extensions["gateway"].database.session_factory() as db:
        return list(db.scalars(select(model)).all())


def members_form(*ids: str) -> dict[str, str]:
    form = {"rows-rows": str(max(len(ids), 1))}
    for index, id_number in enumerate(ids):
        form |= {f"rows-{index}-id_number": id_number, f"rows-{index}-relationship": "child"}
    return form


def fill_and_confirm(client: FlaskClient, *member_ids: str) -> Any:
    assert client.post(BASE + "home", data=RENTED).status_code == 303
    assert client.post(BASE + "members", data=members_form(*member_ids)).status_code == 303
    return client.post(BASE + "confirm")


def test_sections_are_saved_as_the_person_goes_then_confirmed_as_a_version(portal: Flask, sign_in_as: Any) -> None:
    client = english(sign_in_as(portal, AHMED))
    page = client.get(BASE)
    assert page.status_code == 200
    assert "Household record" in text(page) and "Not filled in yet." in text(page)
    assert "Confirm" not in text(page).split("</h1>", 1)[1].split("Your home")[0]

    response = client.post(BASE + "home", data=RENTED)
    assert response.status_code == 303 and response.headers["Location"].endswith(BASE + "members")
    saved = rows(portal, StandingRecordRow)
    assert len(saved) == 1 and saved[0].draft == {"home": {"full_name": "Ahmed", "kind": "rented", "rent": "24000.00"}}
    assert rows(portal, RecordVersionRow) == []

    response = client.post(BASE + "members", data=members_form(KHALID))
    assert response.status_code == 303 and response.headers["Location"].endswith(BASE)
    assert 'action="/records/tenancy/household/confirm"' in text(client.get(BASE))

    response = client.post(BASE + "confirm")
    assert response.status_code == 303
    (version,) = rows(portal, RecordVersionRow)
    assert version.number == 1 and version.author.startswith("person:")
    assert version.data["members"] == {"rows": [{"id_number": KHALID, "relationship": "child"}]}
    assert version.changed == ["home.full_name", "home.kind", "home.rent", "members.rows"]
    assert sorted(member.id_number for member in rows(portal, RecordMemberRow)) == [AHMED, KHALID]
    assert rows(portal, StandingRecordRow)[0].draft is None
    assert "Version 1, confirmed on" in text(client.get(BASE))


def test_a_change_makes_a_second_version_naming_what_changed_and_the_first_stays(
    portal: Flask, sign_in_as: Any
) -> None:
    client = english(sign_in_as(portal, AHMED))
    fill_and_confirm(client, KHALID)
    assert client.get(BASE + "home").status_code == 200
    assert 'value="24000.00"' in text(client.get(BASE + "home"))  # the form starts from the confirmed data
    assert client.post(BASE + "home", data={"kind": "owned"}).status_code == 303
    assert "saved but not confirmed" in text(client.get(BASE))
    assert client.post(BASE + "confirm").status_code == 303

    first, second = sorted(rows(portal, RecordVersionRow), key=lambda version: version.number)
    assert first.data["home"]["kind"] == "rented"
    assert (second.number, second.data["home"]["kind"], second.changed) == (2, "owned", ["home.kind", "home.rent"])
    assert "Your home: Your home is; Your home: Yearly rent" in text(client.get(BASE))


def test_sdk_reads_the_confirmed_version_and_freezes_its_id(portal: Flask, sign_in_as: Any) -> None:
    client = sign_in_as(portal, AHMED)
    fill_and_confirm(client, KHALID)
    client.post(BASE + "home", data={"kind": "owned"})  # a pending change is not the confirmed version
    (record,) = rows(portal, StandingRecordRow)
    with portal.test_request_context():
        state = sdk.current_record("tenancy", "household", owner_id=record.owner_id)
        assert state is not None and state.draft is not None and state.data["home"]["kind"] == "owned"
        confirmed = sdk.confirmed_version("tenancy", "household", owner_id=record.owner_id)
        assert confirmed is not None and confirmed.data["home"]["kind"] == "rented" and confirmed.number == 1
        frozen = sdk.freeze("tenancy", "household", owner_id=record.owner_id)
        assert frozen == confirmed.id
        again = sdk.confirmed_version("tenancy", "household", owner_id=record.owner_id, version_id=frozen)
        assert again == confirmed
        assert sdk.confirmed_version("tenancy", "household", owner_id=record.owner_id + 1, version_id=frozen) is None
        assert sdk.record_holder("tenancy", "household", KHALID) == record.owner_id
        assert sdk.record_holder("tenancy", "household", FATIMAH) is None
        with pytest.raises(sdk.RecordNotConfirmed):
            sdk.freeze("tenancy", "household", owner_id=record.owner_id + 1)


def test_bad_input_is_a_400_with_the_message_and_nothing_saved_is_lost(portal: Flask, sign_in_as: Any) -> None:
    client = english(sign_in_as(portal, AHMED))
    fill_and_confirm(client, KHALID)
    before = rows(portal, StandingRecordRow)[0].draft

    response = client.post(BASE + "home", data={"kind": "rented"})
    assert response.status_code == 400 and "Enter the rent of a rented home." in text(response)
    response = client.post(BASE + "home", data={"kind": "palace"})
    assert response.status_code == 400 and 'href="#kind"' in text(response)
    response = client.post(BASE + "home", data={"kind": "rented", "rent": "-5"})
    assert response.status_code == 400
    response = client.post(BASE + "members", data=members_form("1999999996"))
    assert response.status_code == 400 and "The registry does not know this ID number." in text(response)
    assert 'value="1999999996"' in text(response)  # what was typed is shown back
    response = client.post(BASE + "home", data={**RENTED, "full_name": "Someone Else"})
    assert response.status_code == 400 and "cannot be changed here" in text(response)

    assert rows(portal, StandingRecordRow)[0].draft == before
    (version,) = rows(portal, RecordVersionRow)
    assert version.data["home"]["rent"] == "24000.00"


def test_arabic_messages_by_default(portal: Flask, sign_in_as: Any) -> None:
    client = sign_in_as(portal, AHMED)
    response = client.post(BASE + "members", data=members_form("12"))
    assert response.status_code == 400
    assert 'lang="ar"' in text(response) and "توجد مشكلة" in text(response)


def test_nobody_is_a_member_of_two_households(portal: Flask, sign_in_as: Any) -> None:
    fill_and_confirm(sign_in_as(portal, AHMED), KHALID)
    fatimah = english(sign_in_as(portal, FATIMAH))
    assert fatimah.post(BASE + "home", data=RENTED).status_code == 303
    response = fatimah.post(BASE + "members", data=members_form(KHALID))
    assert response.status_code == 400
    assert f"{KHALID} is already listed in another person&#39;s Household record" in text(response)
    response = fatimah.post(BASE + "members", data=members_form(AHMED))  # another household's head
    assert response.status_code == 400
    khalid = english(sign_in_as(portal, KHALID))  # a member cannot head a household of his own
    response = khalid.post(BASE + "home", data=RENTED)
    assert response.status_code == 400 and "already listed" in text(response)
    assert len(rows(portal, RecordVersionRow)) == 1


def test_the_first_to_confirm_a_member_keeps_them_the_other_is_told(portal: Flask, sign_in_as: Any) -> None:
    ahmed = english(sign_in_as(portal, AHMED))
    assert ahmed.post(BASE + "home", data=RENTED).status_code == 303
    assert ahmed.post(BASE + "members", data=members_form(KHALID)).status_code == 303
    fatimah = english(sign_in_as(portal, FATIMAH))
    response = fill_and_confirm(fatimah, KHALID)  # both drafts list Khalid; Fatimah confirms first
    assert response.status_code == 303
    response = ahmed.post(BASE + "confirm")
    assert response.status_code == 409 and f"{KHALID} is already listed" in text(response)
    assert [version.data["members"]["rows"][0]["id_number"] for version in rows(portal, RecordVersionRow)] == [KHALID]
    assert rows(portal, StandingRecordRow)[0].draft is not None  # Ahmed's draft is kept to correct


def test_an_unreachable_outside_check_is_a_503_and_keeps_the_draft(portal: Flask, sign_in_as: Any) -> None:
    client = sign_in_as(portal, AHMED)
    assert client.post(BASE + "home", data=RENTED).status_code == 303
    tenancy.VALIDATE_RAISES.append(sdk.RegistryUnavailable("down"))
    try:
        assert client.post(BASE + "members", data=members_form(KHALID)).status_code == 503
    finally:
        tenancy.VALIDATE_RAISES.clear()
    assert rows(portal, StandingRecordRow)[0].draft is not None


def test_unknown_records_and_sections_are_404_and_visitors_sign_in(portal: Flask, sign_in_as: Any) -> None:
    assert portal.test_client().get(BASE).status_code in (302, 303)
    client = sign_in_as(portal, AHMED)
    assert client.get("/records/tenancy/nothing/").status_code == 404
    assert client.get("/records/nowhere/household/").status_code == 404
    assert client.get(BASE + "garden").status_code == 404
    response = client.post(BASE + "confirm")
    assert response.status_code == 303  # nothing to confirm yet


def test_declarations_are_checked() -> None:
    step = sdk.FormStep("home", "Home", tenancy.HomeSchema)
    with pytest.raises(sdk.DeclarationError):
        sdk.StandingRecord(name="x", title="X", sections=(step,))
    with pytest.raises(sdk.DeclarationError):
        sdk.StandingRecord(name="profile", title="X", sections=())
    with pytest.raises(sdk.DeclarationError):
        sdk.StandingRecord(name="profile", title="X", sections=(step,), owner="company")
    with pytest.raises(sdk.DeclarationError):
        sdk.StandingRecord(name="profile", title="X", sections=(step, step))
    with pytest.raises(sdk.DeclarationError):
        sdk.StandingRecord(name="profile", title="X", sections=(sdk.FormStep("confirm", "C", tenancy.HomeSchema),))


@pytest.mark.parametrize(
    ("answer", "reason"),
    [(["profile"], "sdk.StandingRecord"), ([tenancy.HOUSEHOLD, tenancy.HOUSEHOLD], "declared twice")],
)
def test_a_plugin_declaring_something_else_is_disabled(
    make_app: Callable[..., Flask], answer: list[Any], reason: str
) -> None:
    tenancy.RECORDS_ANSWER.append(answer)
    try:
        app = make_app(PLUGINS="tenancy", PLUGIN_ENTRY_POINTS=entry_points(tenancy=TENANCY))
    finally:
        tenancy.RECORDS_ANSWER.clear()
    record = app.extensions["gateway"].plugins.records["tenancy"]
    assert not record.serving and reason in record.reason


def test_the_migration_creates_exactly_the_models_tables_and_downgrades(make_app: Callable[..., Flask]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = make_app(PLUGINS="")
    host = app.extensions["gateway"]
    engine = host.database.engine
    names = {"standing_records", "standing_record_versions", "standing_record_members"}

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in names

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": ours, "compare_server_default": True}
        )
        assert compare_metadata(context, Base.metadata) == []
    migrate.downgrade(engine, host.component("gateway"), "0014_oidc_subjects_logout")
    assert not names & set(inspect(engine).get_table_names())
    migrate.upgrade(engine, host.migration_components())
    assert names <= set(inspect(engine).get_table_names())


def test_confirmed_versions_reads_a_batch_of_owners_at_once(portal: Flask, sign_in_as: Any) -> None:
    fill_and_confirm(english(sign_in_as(portal, AHMED)), KHALID)
    fatimah = english(sign_in_as(portal, FATIMAH))
    fill_and_confirm(fatimah)
    fatimah.post(BASE + "home", data={"kind": "owned"})
    fatimah.post(BASE + "confirm")  # her second version
    owners = {record.owner_id for record in rows(portal, StandingRecordRow)}
    with portal.test_request_context():
        found = sdk.confirmed_versions("tenancy", "household", [*owners, 999_999])
        assert set(found) == owners
        for owner in owners:
            assert found[owner] == sdk.confirmed_version("tenancy", "household", owner_id=owner)
        assert sorted(version.number for version in found.values()) == [1, 2]
        assert sdk.confirmed_versions("tenancy", "household", []) == {}
