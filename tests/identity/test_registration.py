"""Registration: the registry check, the code to the registry's mobile, and one account per ID."""

from __future__ import annotations

from sqlalchemy import func, select

from gateway.audit.models import AuditEvent
from gateway.identity.models import Account, Person
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD, RAJESH, Portal, latest_code, messages_to


def test_a_citizen_registers_with_the_code_from_the_outbox_and_is_signed_in(portal: Portal) -> None:
    client = portal.client()
    step1 = client.post("/account/register", data=AHMED)
    assert step1.status_code == 303
    code_page = client.get("/account/register/code").get_data(as_text=True)
    assert "05••••••67" in code_page
    assert "501234567" not in code_page
    [message] = messages_to(portal.app, AHMED_MOBILE)
    assert message.channel == "sms"
    assert message.purpose == "registration"
    assert (
        client.post("/account/register/code", data={"code": latest_code(portal.app, AHMED_MOBILE)}).status_code == 303
    )
    details = client.post(
        "/account/register/details",
        data={
            "username": "Ahmed84",
            "password": GOOD_PASSWORD,
            "password_confirmation": GOOD_PASSWORD,
            "email": "ahmed@example.com",
            "mobile": "0501234567",
        },
    )
    assert details.status_code == 303
    assert details.headers["Location"].startswith("/account/")
    profile = client.get("/account/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ahmed Al-Zahrani" in profile
    assert "13 Jumada al-Akhirah 1404\u00a0AH" in profile
    with portal.app.extensions["gateway"].database.session_factory() as db:
        person = db.scalars(select(Person)).one()
        assert person.first_name_ar == "أحمد"
        assert person.id_number == "1000000008"
        assert person.mobile == AHMED_MOBILE
        assert person.subject != person.id_number
        account = db.scalars(select(Account)).one()
        assert account.username == "ahmed84"
        assert account.password_hash.startswith("$argon2id$")
        events = [event.event for event in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "registration.completed" in events
    assert GOOD_PASSWORD not in str(events)


def test_a_resident_registers_with_a_gregorian_birth_date(portal: Portal) -> None:
    client = portal.client()
    portal.register(
        client, RAJESH, mobile=_mobile_of(portal, "2000000006"), username="rajesh86", email="rajesh@example.com"
    )
    assert "Rajesh Kumar" in client.get("/account/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def _mobile_of(portal: Portal, id_number: str) -> str:
    record = portal.app.extensions["gateway"].registry.lookup(id_number)
    assert record is not None
    return record.mobile


def test_arabic_indic_digits_and_arabic_names_are_accepted(portal: Portal) -> None:
    client = portal.client()
    response = client.post(
        "/account/register",
        data={
            "id_type": "citizen",
            "id_number": "١٠٠٠٠٠٠٠٠٨",
            "first_name": "احمد",
            "family_name": "الزهراني",
            "birth_date": "١٣/٠٦/١٤٠٤",
        },
    )
    assert response.status_code == 303


def test_registry_mismatches_each_get_a_clear_message_that_reveals_nothing(portal: Portal) -> None:
    client = portal.client()
    cases = {
        "We could not find this ID number": {**AHMED, "id_number": "1000000107"},
        "does not match the national registry": {**AHMED, "first_name": "Mohammed"},
        "Your Absher account is not active": {
            "id_type": "citizen",
            "id_number": "1000000024",
            "first_name": "Fahad",
            "family_name": "Al-Shammari",
            "birth_date": _hijri_of(portal, "1000000024"),
        },
    }
    for expected, form in cases.items():
        response = client.post("/account/register", data=form, headers={"Accept-Language": "en"})
        text = response.get_data(as_text=True)
        assert response.status_code == 400
        assert expected in text
        assert "Zahrani" not in text.replace(form.get("family_name", ""), "")
        assert "+9665" not in text
    assert messages_to(portal.app, AHMED_MOBILE) == []
    arabic = client.post("/account/register", data={**AHMED, "first_name": "Mohammed"}).get_data(as_text=True)
    assert "لا يتطابق" in arabic or "لا تتطابق" in arabic


def _hijri_of(portal: Portal, id_number: str) -> str:
    record = portal.app.extensions["gateway"].registry.lookup(id_number)
    assert record is not None
    hijri = record.birth_date_hijri
    return f"{hijri.day:02d}/{hijri.month:02d}/{hijri.year}"


def test_bad_input_gets_field_errors_and_keeps_what_was_typed(portal: Portal) -> None:
    client = portal.client()
    response = client.post(
        "/account/register",
        data={
            "id_type": "citizen",
            "id_number": "1000000009",
            "first_name": "Ahmed",
            "family_name": "",
            "birth_date": "31/02/1404",
        },
        headers={"Accept-Language": "en"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#id_number"' in text
    assert 'href="#family_name"' in text
    assert 'href="#birth_date"' in text
    assert 'value="Ahmed"' in text
    impossible = client.post("/account/register", data={**AHMED, "birth_date": "31/13/1404"})
    assert impossible.status_code == 400


def test_an_existing_account_is_revealed_only_after_the_code(portal: Portal) -> None:
    portal.register(portal.client())
    again = portal.client()
    step1 = again.post("/account/register", data=AHMED, headers={"Accept-Language": "en"})
    assert step1.status_code == 303
    assert "already" not in again.get("/account/register/code", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    revealed = again.post(
        "/account/register/code",
        data={"code": latest_code(portal.app, AHMED_MOBILE)},
        headers={"Accept-Language": "en"},
    )
    text = revealed.get_data(as_text=True)
    assert "You already have an account" in text
    assert 'href="/account/sign-in"' in text
    assert 'href="/account/recover"' in text
    with portal.app.extensions["gateway"].database.session_factory() as db:
        assert db.scalar(select(func.count()).select_from(Account)) == 1


def test_two_registrations_racing_for_one_id_end_with_exactly_one_account(portal: Portal) -> None:
    first, second = portal.client(), portal.client()
    for client in (first, second):
        assert client.post("/account/register", data=AHMED).status_code == 303
        code = latest_code(portal.app, AHMED_MOBILE)
        assert client.post("/account/register/code", data={"code": code}).status_code == 303
    outcomes = []
    for index, client in enumerate((first, second)):
        response = client.post(
            "/account/register/details",
            data={
                "username": f"racer{index}",
                "password": GOOD_PASSWORD,
                "password_confirmation": GOOD_PASSWORD,
                "email": f"racer{index}@example.com",
                "mobile": "0501234567",
            },
            headers={"Accept-Language": "en"},
        )
        outcomes.append(response)
    assert outcomes[0].status_code == 303
    assert "You already have an account" in outcomes[1].get_data(as_text=True)
    with portal.app.extensions["gateway"].database.session_factory() as db:
        assert db.scalar(select(func.count()).select_from(Account)) == 1
        assert db.scalar(select(func.count()).select_from(Person)) == 1


def test_wrong_expired_and_reused_codes(portal: Portal) -> None:
    client = portal.client()
    client.post("/account/register", data=AHMED)
    wrong = client.post("/account/register/code", data={"code": "000000"}, headers={"Accept-Language": "en"})
    assert wrong.status_code == 400
    assert "not correct" in wrong.get_data(as_text=True)
    malformed = client.post("/account/register/code", data={"code": "12"}, headers={"Accept-Language": "en"})
    assert malformed.status_code == 400
    code = latest_code(portal.app, AHMED_MOBILE)
    assert client.post("/account/register/code", data={"code": code}).status_code == 303
    assert client.get("/account/register/details").status_code == 200


def test_the_code_page_says_it_is_step_2_of_3(portal: Portal) -> None:
    client = portal.client()
    assert "Step 1 of 3" in client.get("/account/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert client.post("/account/register", data=AHMED).status_code == 303
    code_page = client.get("/account/register/code", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<p class="step">Step 2 of 3</p>' in code_page
