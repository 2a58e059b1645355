"""The GOSI account: found by ID number, activated with a code, its services behind the activation.

Real portals from the SDK's kit, signed in as sandbox people; the code is
read from the real outbox, the way the person reads it. GOSI's outage is a
real local server answering 503 (or not at all).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from bawaba_sdk.testing.json_service import JsonService
from bawaba_sdk.testing.outbox import latest_code
from bawaba_sdk.testing.pages import fetch

AHMED = "1000000008"
NO_RECORD = "2000000048"


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="gosi")


def page(client: Any, url: str, language: str = "en") -> Any:
    return client.get(url, headers={"Accept-Language": language})


def post(client: Any, url: str, data: dict[str, str], language: str = "en") -> Any:
    return client.post(url, data=data, headers={"Accept-Language": language})


def activate(portal: Any, client: Any, id_number: str = AHMED) -> None:
    assert post(client, "/gosi/account/activate", {"channel": "sms"}).status_code == 303
    code = latest_code(portal, person=id_number)
    answer = post(client, "/gosi/account/activate/code", {"code": code})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/gosi/account")


def test_the_first_visit_asks_to_activate_with_a_code(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)

    english = page(client, "/gosi/account")
    arabic = page(client, "/gosi/account", "ar")

    assert english.status_code == arabic.status_code == 200
    assert "Activate your social insurance account" in english.get_data(as_text=True)
    assert "فعّل حساب التأمينات الاجتماعية" in arabic.get_data(as_text=True)


def test_services_wait_for_the_activation(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)

    for url in ("/gosi/record", "/gosi/contributions", "/gosi/pension", "/gosi/saned"):
        answer = page(client, url)
        assert answer.status_code == 303 and answer.headers["Location"].endswith("/gosi/account"), url


def test_a_code_to_the_mobile_activates_and_opens_the_record(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)

    sent = post(client, "/gosi/account/activate", {"channel": "sms"})
    assert sent.status_code == 303
    code_page = page(client, "/gosi/account/activate/code").get_data(as_text=True)
    assert "We sent a code to 05••••••67." in code_page  # the shared identity's mobile, partly hidden
    wrong = post(
        client,
        "/gosi/account/activate/code",
        {"code": "000000" if latest_code(portal, person=AHMED) != "000000" else "111111"},
    )
    assert wrong.status_code == 422
    assert "That code is not right" in wrong.get_data(as_text=True)
    right = post(client, "/gosi/account/activate/code", {"code": latest_code(portal, person=AHMED)})
    assert right.status_code == 303

    home = page(client, "/gosi/account").get_data(as_text=True)
    assert "My social insurance" in home and "Old law" in home
    record = page(client, "/gosi/record")
    assert record.status_code == 200
    text = record.get_data(as_text=True)
    assert "شركة أرامكو للخدمات" in text and "900-551872" in text and "18,000.00" in text
    assert "243" in text  # months counted


def test_a_code_typed_in_arabic_indic_digits_is_accepted(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)
    post(client, "/gosi/account/activate", {"channel": "sms"})
    code = latest_code(portal, person=AHMED)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    assert post(client, "/gosi/account/activate/code", {"code": arabic}).status_code == 303


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"channel": "pigeon"}, "Choose where to send the code"),
        ({}, "Choose where to send the code"),
        ({"channel": "email"}, "You have no confirmed email"),
    ],
)
def test_a_bad_channel_is_refused_in_the_persons_language(
    portal: Any, sign_in_as: Callable[..., Any], data: dict[str, str], message: str
) -> None:
    client = sign_in_as(portal, AHMED)

    answer = post(client, "/gosi/account/activate", data)
    arabic = post(client, "/gosi/account/activate", data, "ar")

    assert answer.status_code == arabic.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert message not in arabic.get_data(as_text=True)


def test_asking_again_at_once_is_throttled_not_an_error(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)
    post(client, "/gosi/account/activate", {"channel": "sms"})

    again = post(client, "/gosi/account/activate", {"channel": "sms"})

    assert again.status_code == 429
    assert "Wait" in again.get_data(as_text=True)


def test_a_code_that_is_not_digits_is_refused(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)
    post(client, "/gosi/account/activate", {"channel": "sms"})

    answer = post(client, "/gosi/account/activate/code", {"code": "abc"})

    assert answer.status_code == 422 and "in digits" in answer.get_data(as_text=True)


def test_a_person_without_a_record_is_told_what_to_do(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, NO_RECORD)

    answer = page(client, "/gosi/account")
    arabic = page(client, "/gosi/account", "ar")

    assert answer.status_code == arabic.status_code == 404
    text = answer.get_data(as_text=True)
    assert "No social insurance record" in text and "ask your employer to register you" in text
    assert "لا يوجد سجل في التأمينات الاجتماعية" in arabic.get_data(as_text=True)


def test_signed_out_people_are_sent_to_sign_in(portal: Any) -> None:
    answer = portal.test_client().get("/gosi/account")

    assert answer.status_code in (302, 303) and "sign-in" in answer.headers["Location"]


AHMED_RECORD = next(
    person
    for person in json.loads(
        resources.files("bawaba_gosi").joinpath("data/sandbox_records.json").read_text(encoding="utf-8")
    )["contributors"]
    if person["id_number"] == AHMED
)


@pytest.mark.parametrize("outage", ["503", "down"])
def test_gosi_not_answering_is_a_page_saying_so_never_a_500(
    make_portal: Callable[..., Any], sign_in_as: Callable[..., Any], outage: str
) -> None:
    with JsonService({f"/contributors/{AHMED}": AHMED_RECORD}) as service:
        portal = make_portal(
            plugins="gosi", GOSI_RECORDS_ADAPTER="http", GOSI_RECORDS_URL=service.url, GOSI_RECORDS_RETRIES="0"
        )
        client = sign_in_as(portal, AHMED)
        activate(portal, client)
        if outage == "503":
            service.status = 503
        else:
            service.stop()

        for url in ("/gosi/account", "/gosi/record", "/gosi/pension"):
            answer = page(client, url)
            assert answer.status_code == 503, url
            assert "GOSI is not answering, try again later" in answer.get_data(as_text=True)
        assert page(client, "/gosi/record", "ar").status_code == 503

        if outage == "503":  # back up: the activation was kept, the record shows again
            service.status = None
            assert page(client, "/gosi/record").status_code == 200


def test_the_program_page_still_serves_in_both_languages(portal: Any) -> None:
    client = portal.test_client()

    assert fetch(client, "/gosi/", "en")
    assert fetch(client, "/gosi/", "ar")


def test_the_pension_estimate_is_worked_out_from_the_record(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, "1000000040")  # 453 months, average of the last 24: 14,000, aged 71
    activate(portal, client, "1000000040")

    english = page(client, "/gosi/pension").get_data(as_text=True)
    arabic = page(client, "/gosi/pension", "ar").get_data(as_text=True)

    assert "You have reached the normal retirement age." in english
    assert "13,212.50" in english  # 2.5% × 14,000 × 453/12
    assert "2.5% of 14,000.00 for each of 37.75 years" in english
    assert "بلغت سن التقاعد النظامية" in arabic


def test_saned_shows_every_condition_and_the_months(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, "1000000065")  # lost his job on 31 October 2026, average 8,000
    activate(portal, client, "1000000065")

    text = page(client, "/gosi/saned").get_data(as_text=True)

    assert "4,800.00" in text and "4,000.00" in text and "50,400.00" in text
    assert "Is registered as a job seeker" in text


def test_contributions_show_both_shares_at_the_rates_in_force(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, AHMED)  # 18,000 a month, old law: 9% + 0.75% = 1,755.00; employer + 2% = 2,115.00
    activate(portal, client)

    text = page(client, "/gosi/contributions").get_data(as_text=True)

    assert "1,755.00" in text and "2,115.00" in text


def test_a_resident_covered_for_hazards_only_has_no_pension_page(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = sign_in_as(portal, "2000000006")
    activate(portal, client, "2000000006")

    answer = page(client, "/gosi/pension")

    assert answer.status_code == 200 and "Occupational hazards only" in answer.get_data(as_text=True)
