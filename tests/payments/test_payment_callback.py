"""POST /payments/callback/<adapter>: signed, idempotent, and never a 500 for bad input."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from gateway.applications.models import Application
from gateway.payments.models import EXPIRED, PAID, UNPAID
from gateway.payments.views import signature_of
from tests.payments.conftest import SECRET, build_payments_app, load_bill, new_bill

URL = "/payments/callback/sandbox"


def body_for(bill_number: str, **fields: Any) -> bytes:
    data: dict[str, Any] = {
        "bill_number": bill_number,
        "amount": "150.50",
        "reference": "BANK-0001",
        "paid_at": "2026-11-22T10:00:00+03:00",
    }
    data.update(fields)
    return json.dumps(data).encode()


def post(app: Flask, body: bytes, signature: str | None = "sign", secret: str = SECRET) -> Any:
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Bawaba-Signature"] = signature_of(secret, body)
    elif signature is not None:
        headers["X-Bawaba-Signature"] = signature
    return app.test_client().post(URL, data=body, headers=headers)


def test_a_signed_callback_pays_the_bill_and_moves_the_application(pay_app: Flask) -> None:
    number = new_bill(pay_app)
    response = post(pay_app, body_for(number))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"status": "paid", "bill_number": number}
    bill = load_bill(pay_app, number)
    assert bill.status == PAID and bill.paid_source == "provider:sandbox" and bill.provider_reference == "BANK-0001"
    with pay_app.extensions["gateway"].database.session_factory() as db:
        assert db.scalars(select(Application)).one().state == "fee_paid"


def test_a_replayed_callback_is_accepted_and_changes_nothing(pay_app: Flask) -> None:
    number = new_bill(pay_app)
    body = body_for(number)
    assert post(pay_app, body).status_code == 200
    paid_at = load_bill(pay_app, number).paid_at
    again = post(pay_app, body)
    assert again.status_code == 200
    assert again.get_json() == {"status": "already_paid", "bill_number": number}
    assert load_bill(pay_app, number).paid_at == paid_at


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=", "sha256=" + "0" * 64, "md5=abc", "sha256=ü", "SHA256=zz"],
)
def test_a_missing_or_wrong_signature_is_401_and_nothing_is_paid(pay_app: Flask, signature: str | None) -> None:
    number = new_bill(pay_app)
    response = post(pay_app, body_for(number), signature=signature)
    assert response.status_code == 401
    assert response.get_json()["error"]["name"] == "bad_signature"
    assert load_bill(pay_app, number).status == UNPAID


def test_a_body_changed_after_signing_is_401(pay_app: Flask) -> None:
    number = new_bill(pay_app)
    signed = body_for(number)
    tampered = signed.replace(b"150.50", b"1.00")
    response = pay_app.test_client().post(
        URL, data=tampered, headers={"X-Bawaba-Signature": signature_of(SECRET, signed)}
    )
    assert response.status_code == 401
    assert load_bill(pay_app, number).status == UNPAID


def test_a_signature_made_with_another_secret_is_401(pay_app: Flask) -> None:
    number = new_bill(pay_app)
    assert post(pay_app, body_for(number), secret="someone-else-s-secret").status_code == 401


def test_without_a_secret_every_callback_is_refused_with_503(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = build_payments_app(make_app, PAYMENT_CALLBACK_SECRET=None)
    number = new_bill(app)
    with caplog.at_level(logging.ERROR, logger="gateway.payments"):
        response = post(app, body_for(number), signature=signature_of("", body_for(number)))
    assert response.status_code == 503
    assert "GATEWAY_PAYMENT_CALLBACK_SECRET" in caplog.text
    assert load_bill(app, number).status == UNPAID


def test_a_malformed_body_is_400(pay_app: Flask) -> None:
    number = new_bill(pay_app)
    for body in (b"{", b"[]", body_for(number, amount="many"), body_for("123")):
        response = post(pay_app, body)
        assert response.status_code == 400, body
        assert response.get_json()["error"]["name"] == "invalid_body"


def test_an_unknown_bill_is_404(pay_app: Flask) -> None:
    new_bill(pay_app)
    response = post(pay_app, body_for("000000000000"))
    assert response.status_code == 404
    assert response.get_json()["error"]["name"] == "unknown_bill"


def test_an_unknown_adapter_is_404(pay_app: Flask) -> None:
    body = body_for(new_bill(pay_app))
    response = pay_app.test_client().post(
        "/payments/callback/other", data=body, headers={"X-Bawaba-Signature": signature_of(SECRET, body)}
    )
    assert response.status_code == 404


def test_another_amount_is_409(pay_app: Flask) -> None:
    number = new_bill(pay_app)
    response = post(pay_app, body_for(number, amount="150.00"))
    assert response.status_code == 409
    assert response.get_json()["error"]["name"] == "mismatch"
    assert load_bill(pay_app, number).status == UNPAID


def test_a_reference_reused_for_another_bill_is_409(pay_app: Flask) -> None:
    first, second = new_bill(pay_app), new_bill(pay_app)
    assert post(pay_app, body_for(first)).status_code == 200
    assert post(pay_app, body_for(second)).status_code == 409
    assert load_bill(pay_app, second).status == UNPAID


def test_an_expired_bill_is_409_and_stays_expired(pay_app: Flask) -> None:
    from gateway.messaging.models import utc_now

    number = new_bill(pay_app, now=utc_now() - timedelta(days=30))
    response = post(pay_app, body_for(number, paid_at=utc_now().isoformat()))
    assert response.status_code == 409
    assert response.get_json()["error"]["name"] == "not_payable"
    assert load_bill(pay_app, number).status == EXPIRED


def test_the_callback_needs_no_csrf_token(make_app: Callable[..., Flask]) -> None:
    app = build_payments_app(make_app, WTF_CSRF_ENABLED=True)
    number = new_bill(app)
    assert post(app, body_for(number)).status_code == 200


def test_an_oversized_body_is_refused_before_anything_else(pay_app: Flask) -> None:
    body = b"{" + b" " * 70_000 + b"}"
    assert post(pay_app, body).status_code == 413
