"""Musaned's visas end to end: the request form, the fee, the review, the visa, and the pages that show it.

Everything goes through the real pages: citizens fill the host's form for
``new_visa`` and pay the bill with the sandbox's "Pay now"; staff move the
request from the back office; the visa pages read what was issued. Each
person sees only their own requests and visas: anything else answers 404.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any, cast

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from musaned_portal import MINIMAL_PDF, Musaned, text
from sqlalchemy import MetaData, Table, select

import bawaba_sdk as sdk
from bawaba_musaned.visa_store import Visa, draw_visa_number, is_visa_number, luhn_check_digit
from bawaba_musaned.visas import DEFAULT_WORKER_TYPES, SETTINGS
from bawaba_sdk import normalise_reference
from bawaba_sdk.formatting import format_date
from bawaba_sdk.testing.payments import bills
from bawaba_sdk.validators import gregorian_to_hijri

AHMED = "1000000008"
KHALID = "1000000016"
RAJESH = "2000000006"
BILAL = "2000000030"
EN = {"Accept-Language": "en"}
FORM = "/apply/musaned/new_visa/"


def worker(**changes: str) -> dict[str, Any]:
    return {"worker_type": "housemaid", "nationality": "PH", "salary": "1500", **changes}


def household(**changes: Any) -> dict[str, Any]:
    return {"household_size": "5", "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh", **changes}


def capacity(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "proof_kind": "salary_certificate",
        "monthly_income": "18000",
        "proof": (BytesIO(MINIMAL_PDF), "salary.pdf"),
    }
    data.update(changes)
    return data


def steps(**income: Any) -> dict[str, dict[str, Any]]:
    return {"worker": worker(), "household": household(), "capacity": capacity(**income)}


def post_step(client: Any, step: str, data: dict[str, Any]) -> Any:
    return client.post(FORM + step, data=data, content_type="multipart/form-data", headers=EN)


@pytest.fixture
def configured(
    make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any], tmp_path: Any
) -> Callable[..., Musaned]:
    """A Musaned portal with settings of the test's choosing (``MUSANED_<NAME>=...``)."""

    def build(**settings: str) -> Musaned:
        app = make_portal(
            plugins="musaned",
            RATE_LIMIT_SIGNIN="1000/minute",
            RATE_LIMIT_REGISTRATION="1000/minute",
            RATE_LIMIT_CODES="1000/minute",
            DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
            **settings,
        )
        return Musaned(app=app, sign_in_as=sign_in_as)

    return build


def issue(musaned: Musaned, citizen: Any, reference: str, staff_name: str = "sara") -> Any:
    """Pay the fee as the citizen, then review and issue as staff."""
    musaned.pay(citizen, reference)
    assert musaned.application(reference).state == "fee_paid"
    staff = musaned.staff(staff_name)
    assert musaned.move(staff, reference, "in_review").status_code == 303
    assert musaned.move(staff, reference, "issued").status_code == 303
    return staff


# -- the whole journey -----------------------------------------------------------------------


def test_ahmed_requests_pays_and_gets_a_visa_listed_with_its_number_and_dates(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    assert reference.startswith("MSV-")
    application = musaned.application(reference)
    assert application.state == "submitted"
    assert application.answers["worker"] == {"worker_type": "housemaid", "nationality": "PH", "salary": "1500.00"}
    assert application.answers["capacity"]["monthly_income"] == "18000.00"

    bill = musaned.bill_number(reference)
    assert re.fullmatch(r"\d{12}", bill)
    assert [found.amount for found in bills(musaned.app, reference)] == [Decimal("2000.00")]

    issue(musaned, ahmed, reference)
    application = musaned.application(reference)
    assert application.state == "issued"
    number = application.extra["visa_number"]
    assert is_visa_number(number)
    today = datetime.date.fromisoformat(application.extra["visa_issued_on"])
    expires = datetime.date.fromisoformat(application.extra["visa_expires_on"])
    assert expires - today == datetime.timedelta(days=730)

    page = text(ahmed.get("/musaned/visas", headers=EN))
    assert number in page
    assert "Housemaid" in page and "Philippines" in page
    for day in (today, expires):  # both calendars, written out (the SDK's formatting layer)
        assert format_date(day, language="en", with_hijri=True) in page
    assert str(gregorian_to_hijri(expires).year) in page
    assert "Valid" in page
    assert 'href="/apply/musaned/mediation_contract/"' in page
    arabic = text(ahmed.get("/musaned/visas"))
    assert number in arabic and 'dir="rtl"' in arabic

    followed = text(ahmed.get("/musaned/requests", headers=EN))
    assert reference in followed and number in followed
    assert f'href="/applications/{reference}"' in followed

    with musaned.db() as db:
        visa = db.scalars(select(Visa).where(Visa.application_reference == reference)).one()
        assert (visa.visa_number, visa.worker_type, visa.nationality) == (number, "housemaid", "PH")
        assert visa.expires_on == expires


def test_the_fee_setting_is_billed(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_VISA_FEE="2500.50")
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    assert [bill.amount for bill in bills(musaned.app, reference)] == [Decimal("2500.50")]


def test_the_validity_setting_sets_the_expiry(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_VISA_VALIDITY_DAYS="90")
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    issue(musaned, ahmed, reference)
    extra = musaned.application(reference).extra
    issued = datetime.date.fromisoformat(extra["visa_issued_on"])
    assert datetime.date.fromisoformat(extra["visa_expires_on"]) - issued == datetime.timedelta(days=90)


def test_no_review_before_the_fee_is_paid_and_a_rejection_needs_a_reason(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    staff = musaned.staff("sara")
    assert musaned.move(staff, reference, "in_review").status_code == 409
    assert musaned.application(reference).state == "submitted"
    musaned.pay(ahmed, reference)
    assert musaned.move(staff, reference, "in_review").status_code == 303
    refused = musaned.move(staff, reference, "rejected", "")
    assert refused.status_code in (400, 422)
    assert musaned.application(reference).state == "in_review"
    assert musaned.move(staff, reference, "rejected", "The salary certificate is not legible.").status_code == 303
    assert musaned.application(reference).state == "rejected"
    assert "visa_number" not in (musaned.application(reference).extra or {})
    with musaned.db() as db:
        assert db.scalars(select(Visa)).all() == []


def test_staff_ask_for_information_and_the_citizen_answers(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    musaned.pay(ahmed, reference)
    staff = musaned.staff("sara")
    assert musaned.move(staff, reference, "in_review").status_code == 303
    asked = musaned.move(staff, reference, "needs_information", "Upload a newer salary certificate, please.")
    assert asked.status_code == 303
    answered = ahmed.post(f"/applications/{reference}/answer", data={"answer": "Sent by email to the office."})
    assert answered.status_code == 303, text(answered)
    assert musaned.application(reference).state == "in_review"
    assert musaned.move(staff, reference, "issued").status_code == 303
    assert is_visa_number(musaned.application(reference).extra["visa_number"])


def test_the_citizen_can_withdraw_before_paying(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    moved = ahmed.post(f"/applications/{reference}/withdraw", data={"reason": "I found a worker already."})
    assert moved.status_code == 303, text(moved)
    assert musaned.application(reference).state == "withdrawn"
    page = text(ahmed.get("/musaned/requests", headers=EN))
    assert reference in page and "Withdrawn" in page


def test_rajesh_a_resident_above_the_minimum_gets_a_visa(musaned: Musaned) -> None:
    rajesh = musaned.citizen(RAJESH)
    reference = musaned.submit(rajesh, "new_visa", steps(monthly_income="12000"))
    issue(musaned, rajesh, reference)
    assert is_visa_number(musaned.application(reference).extra["visa_number"])


# -- bad input on the form -------------------------------------------------------------------


def test_a_salary_below_the_minimum_is_refused_with_the_figure(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    answer = post_step(ahmed, "worker", worker(salary="999.99"))
    assert answer.status_code == 400
    assert "The salary must be at least 1,000.00 SAR a month." in text(answer)


def test_the_minimum_salary_is_a_setting(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_MIN_WORKER_SALARY="1800")
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    answer = post_step(ahmed, "worker", worker(salary="1500"))
    assert answer.status_code == 400
    assert "at least 1,800.00 SAR" in text(answer)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (worker(worker_type="butler"), "worker_type"),
        (worker(worker_type=""), "worker_type"),
        (worker(nationality="SA"), "nationality"),
        (worker(nationality="XX"), "nationality"),
        (worker(salary="lots"), "salary"),
        (worker(salary="-100"), "salary"),
        (worker(salary="99999999999999999999"), "salary"),
        (worker(salary="1500.555"), "salary"),
    ],
)
def test_bad_worker_answers_are_refused_by_their_field(musaned: Musaned, data: dict[str, Any], field: str) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    answer = post_step(ahmed, "worker", data)
    assert answer.status_code == 400
    assert f'href="#{field}"' in text(answer)


def test_arabic_indic_digits_are_accepted(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    assert post_step(ahmed, "worker", worker(salary="١٥٠٠")).status_code == 303
    assert post_step(ahmed, "household", household(household_size="٥")).status_code == 303
    assert post_step(ahmed, "capacity", capacity(monthly_income="١٨٬٠٠٠")).status_code == 303


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (household(household_size="0"), "household_size"),
        (household(household_size="31"), "household_size"),
        (household(household_size="100000000000000000000"), "household_size"),
        (household(dwelling_type="tent"), "dwelling_type"),
        (household(region="atlantis"), "region"),
        (household(city=""), "city"),
    ],
)
def test_bad_household_answers_are_refused(musaned: Musaned, data: dict[str, Any], field: str) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    answer = post_step(ahmed, "household", data)
    assert answer.status_code == 400
    assert f'href="#{field}"' in text(answer)


def test_a_caregiver_needs_someone_to_care_for(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    assert post_step(ahmed, "worker", worker(worker_type="caregiver")).status_code == 303
    refused = post_step(ahmed, "household", household())
    assert refused.status_code == 400
    assert "A caregiver is recruited for an elderly person" in text(refused)
    assert post_step(ahmed, "household", household(member_needing_care="y")).status_code == 303


def test_the_proof_file_is_required_and_must_be_a_pdf_or_image(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    missing = post_step(ahmed, "capacity", {"proof_kind": "bank_statement", "monthly_income": "18000"})
    assert missing.status_code == 400
    assert 'href="#proof"' in text(missing)
    lying = post_step(ahmed, "capacity", capacity(proof=(BytesIO(b"MZ\x90\x00 not a pdf"), "salary.pdf")))
    assert lying.status_code == 400
    assert 'href="#proof"' in text(lying)
    bad_kind = post_step(ahmed, "capacity", capacity(proof_kind="letter_from_a_friend"))
    assert bad_kind.status_code == 400
    assert 'href="#proof_kind"' in text(bad_kind)


def test_declared_income_below_the_minimum_is_refused_with_the_figures(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    answer = post_step(ahmed, "capacity", capacity(monthly_income="4999.99"))
    assert answer.status_code == 400
    assert "The minimum monthly income for citizens is 5,000.00 SAR; you entered 4,999.99 SAR." in text(answer)
    rajesh = musaned.citizen(RAJESH)
    rajesh.get(FORM)
    answer = post_step(rajesh, "capacity", capacity(monthly_income="9000"))
    assert answer.status_code == 400
    assert "The minimum monthly income for residents is 10,000.00 SAR; you entered 9,000.00 SAR." in text(answer)


def test_a_worker_type_removed_from_the_settings_is_not_offered(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_WORKER_TYPES="housemaid,private_driver", MUSANED_WORKER_NATIONALITIES="PH,KE")
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    page = text(ahmed.get(FORM + "worker", headers=EN))
    assert 'value="housemaid"' in page and 'value="private_driver"' in page and 'value="cook"' not in page
    assert "Kenya" in page and 'value="IN"' not in page
    assert post_step(ahmed, "worker", worker(worker_type="cook")).status_code == 400
    assert post_step(ahmed, "worker", worker(nationality="IN")).status_code == 400
    assert post_step(ahmed, "worker", worker(worker_type="private_driver", nationality="KE")).status_code == 303


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("WORKER_TYPES", "housemaid,butler"),
        ("WORKER_TYPES", ""),
        ("WORKER_NATIONALITIES", "PH,XX"),
        ("WORKER_NATIONALITIES", "SA"),
        ("WORKER_NATIONALITIES", "Philippines"),
        ("ALLOWED_ID_TYPES", "citizen,visitor"),
        ("MIN_MONTHLY_INCOME_CITIZEN", "-1"),
        ("MIN_WORKER_SALARY", "a thousand"),
        ("VISA_VALIDITY_DAYS", "0"),
        ("MAX_OPEN_VISA_REQUESTS", "-1"),
    ],
)
def test_a_bad_visa_setting_stops_the_boot(configured: Callable[..., Musaned], key: str, value: str) -> None:
    with pytest.raises(Exception, match=f"GATEWAY_MUSANED_{key}") as caught:
        configured(**{f"MUSANED_{key}": value})
    assert type(caught.value).__name__ == "ConfigError"


# -- the visa pages: own data only -------------------------------------------------------------


def test_another_citizen_sees_none_of_ahmeds_visa(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    issue(musaned, ahmed, reference)
    number = musaned.application(reference).extra["visa_number"]

    rajesh = musaned.citizen(RAJESH)
    for url in ("/musaned/visas", "/musaned/requests"):
        page = text(rajesh.get(url, headers=EN))
        assert number not in page and reference not in page
    by_reference = rajesh.get(f"/musaned/inquiry?reference={reference}", headers=EN)
    assert by_reference.status_code == 404
    assert number not in text(by_reference)
    assert "No visa request with this number was found under your account" in text(by_reference)
    by_id = rajesh.get(f"/musaned/inquiry?id_number={AHMED}", headers=EN)
    assert by_id.status_code == 404
    assert number not in text(by_id)
    assert "No visa was found for this number under your account" in text(by_id)
    assert rajesh.get(f"/applications/{reference}").status_code == 404


def test_inquiry_finds_the_persons_own_request_and_visas(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    pending = text(ahmed.get(f"/musaned/inquiry?reference={reference}", headers=EN))
    assert reference in pending and "No visa has been issued for this request yet." in pending
    issue(musaned, ahmed, reference)
    number = musaned.application(reference).extra["visa_number"]

    typed = " " + reference.lower().replace("-", " - ") + " "
    found = ahmed.get("/musaned/inquiry", query_string={"reference": typed}, headers=EN)
    assert found.status_code == 200
    assert number in text(found) and "Visa issued" in text(found)

    arabic_digits = AHMED.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    mine = ahmed.get("/musaned/inquiry", query_string={"id_number": arabic_digits}, headers=EN)
    assert mine.status_code == 200
    assert number in text(mine)


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"reference": "not a reference"}, 400, "reference"),
        ({"reference": "MSV-" + "X" * 500}, 400, "reference"),
        ({"reference": "MSV-ZZZZZZZZ"}, 404, "reference"),
        ({"reference": " "}, 400, "reference"),
        ({"id_number": "1000000007"}, 400, "id_number"),
        ({"id_number": "12345"}, 400, "id_number"),
        ({"id_number": "<script>"}, 400, "id_number"),
    ],
)
def test_inquiry_refuses_bad_input_clearly(musaned: Musaned, query: dict[str, str], status: int, field: str) -> None:
    ahmed = musaned.citizen(AHMED)
    answer = ahmed.get("/musaned/inquiry", query_string=query, headers=EN)
    assert answer.status_code == status
    assert f'href="#{field}"' in text(answer)
    assert "<script>" not in text(answer)


def test_visa_pages_need_a_signed_in_person(musaned: Musaned) -> None:
    anonymous = musaned.app.test_client()
    for url in ("/musaned/visas", "/musaned/requests", "/musaned/inquiry", "/musaned/eligibility"):
        answer = anonymous.get(url)
        assert answer.status_code in (302, 303), url
        assert "/account/sign-in" in answer.headers["Location"]


def test_empty_pages_say_so(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    assert "No visa has been issued to you yet." in text(ahmed.get("/musaned/visas", headers=EN))
    assert "You have not sent a visa request yet." in text(ahmed.get("/musaned/requests", headers=EN))
    inquiry = ahmed.get("/musaned/inquiry", headers=EN)
    assert inquiry.status_code == 200 and "By request number" in text(inquiry)


def test_program_page_links_the_visa_pages_and_shows_the_rules(musaned: Musaned) -> None:
    page = text(musaned.app.test_client().get("/musaned/", headers=EN))
    for link in ("/apply/musaned/new_visa/", "/musaned/visas", "/musaned/requests", "/musaned/inquiry"):
        assert f'href="{link}"' in page
    assert 'href="/musaned/eligibility"' in page
    assert "Citizens: a monthly income of at least 5,000.00 SAR." in page
    assert "Residents: a monthly income of at least 10,000.00 SAR." in page
    assert "920002866" in page and "19911" in page
    arabic = text(musaned.app.test_client().get("/musaned/"))
    assert "920002866" in arabic and 'href="/musaned/eligibility"' in arabic


# -- the store -------------------------------------------------------------------------------


def test_visa_numbers_are_ten_digits_with_a_check_digit() -> None:
    numbers = {draw_visa_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(is_visa_number(number) for number in numbers)
    assert luhn_check_digit("100000000") == "8"  # the same rule as ID numbers (1000000008)
    number = draw_visa_number()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not is_visa_number(wrong)
    assert not is_visa_number("١" + number[1:])


def test_the_defaults_are_what_their_parsers_accept() -> None:
    for setting in SETTINGS:
        assert setting.parse(setting.default) == setting.default, setting.name
    assert set(DEFAULT_WORKER_TYPES) >= {"housemaid", "private_driver", "caregiver", "cook", "nurse"}


def test_reference_normalisation() -> None:
    assert normalise_reference(" msv - 7kq2x9pb ") == "MSV-7KQ2X9PB"
    assert normalise_reference("MSV-7KQ2X9PO") == "MSV-7KQ2X9P0"
    assert normalise_reference("MSV-٧KQ2X9PB") == "MSV-7KQ2X9PB"
    assert normalise_reference("MSV7KQ2X9PB") is None
    assert normalise_reference("MSV-7KQ2X9P") is None
    assert normalise_reference("x" * 100) is None


def test_the_migration_matches_the_table(musaned: Musaned) -> None:
    ours = MetaData()
    cast(Table, Visa.__table__).to_metadata(ours)
    with musaned.app.app_context():
        engine = sdk.db_session().get_bind()

    def only_visas(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "musaned_visas"

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": only_visas})
        assert compare_metadata(context, ours) == []
