"""The contributor certificate: a PDF with a verification code, checked on a public page.

The public page shows only what the certificate says, answers a wrong code
and a wrong ID number alike (404, same words), and is rate limited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from bawaba_sdk.testing.outbox import latest_code

AHMED = "1000000008"


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins="gosi", GOSI_VERIFY_RATE="5/minute")


def issued(portal: Any, sign_in_as: Callable[..., Any]) -> tuple[Any, str, bytes]:
    client = sign_in_as(portal, AHMED)
    client.post("/gosi/account/activate", data={"channel": "sms"})
    client.post("/gosi/account/activate/code", data={"code": latest_code(portal, person=AHMED)})
    answer = client.post("/gosi/certificate")
    assert answer.status_code == 303
    pdf = client.get(answer.headers["Location"])
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    found = re.search(rb"Verification code: ([A-Z0-9]{12})", pdf.data)
    assert found is not None
    return client, found.group(1).decode(), pdf.data


def verify(portal: Any, code: str, id_number: str, language: str = "en") -> Any:
    return portal.test_client().post(
        "/gosi/verify", data={"code": code, "id_number": id_number}, headers={"Accept-Language": language}
    )


def test_the_certificate_is_a_pdf_saying_what_the_record_says(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    _client, _code, pdf = issued(portal, sign_in_as)

    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Name: Ahmed Al-Zahrani" in pdf and b"Contribution months counted: 243" in pdf
    assert b"establishment 900-551872" in pdf


def test_anyone_verifies_it_by_code_and_id_in_both_languages(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    _client, code, _pdf = issued(portal, sign_in_as)

    english = verify(portal, code.lower()[:6] + " " + code.lower()[6:], AHMED)
    arabic = verify(portal, code, AHMED, "ar")

    assert english.status_code == arabic.status_code == 200
    text = english.get_data(as_text=True)
    assert "Ahmed Al-Zahrani" in text and "243" in text and "900-551872" in text
    assert "18,000" not in text  # wages are not on the certificate, so not on the page
    assert "أحمد الزهراني" in arabic.get_data(as_text=True)


def test_a_wrong_code_and_a_wrong_id_get_the_same_answer(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    _client, code, _pdf = issued(portal, sign_in_as)

    wrong_code = verify(portal, "ABCDEFGHJKMN", AHMED)
    wrong_id = verify(portal, code, "1000000016")

    assert wrong_code.status_code == wrong_id.status_code == 404
    message = "No certificate matches this code and ID number"
    assert message in wrong_code.get_data(as_text=True) and message in wrong_id.get_data(as_text=True)
    assert "Ahmed" not in wrong_id.get_data(as_text=True)


def test_guessing_codes_is_rate_limited(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    client = portal.test_client()
    answers = [client.post("/gosi/verify", data={"code": f"ABCDEFGHJK{n:02d}", "id_number": AHMED}) for n in range(7)]

    assert [answer.status_code for answer in answers[:5]] == [404] * 5
    assert answers[5].status_code == 429 and "Retry-After" in answers[5].headers


def test_an_empty_form_names_both_fields(portal: Any) -> None:
    answer = verify(portal, "", "")

    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Enter the verification code" in text and "Enter the ID number" in text


def test_nobody_else_downloads_the_pdf(portal: Any, sign_in_as: Callable[..., Any]) -> None:
    _client, code, _pdf = issued(portal, sign_in_as)
    other = sign_in_as(portal, "1000000040")

    assert other.get(f"/gosi/certificates/{code}.pdf").status_code == 404
