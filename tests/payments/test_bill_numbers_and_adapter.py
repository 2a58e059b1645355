"""Bill numbers (12 digits, Luhn check digit) and choosing and reading a payment adapter."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from gateway.payments.adapter import (
    InvalidCallback,
    PaymentAdapter,
    SandboxPayments,
    load_payment_adapter,
    parse_standard_callback,
)
from gateway.payments.numbers import is_valid_bill_number, luhn_check_digit, new_bill_number
from gateway.settings import ConfigError


def test_the_check_digit_is_luhn() -> None:
    # The classic Luhn example: 7992739871 has check digit 3.
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_check_digit("00000000000") == "0"
    assert is_valid_bill_number("000000000000")


def test_new_bill_numbers_are_12_random_digits_that_validate() -> None:
    numbers = {new_bill_number() for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert len(number) == 12 and number.isdigit()
        assert is_valid_bill_number(number)


def test_every_single_digit_typo_and_neighbour_swap_is_caught() -> None:
    number = new_bill_number()
    for position in range(12):
        for digit in "0123456789":
            if digit != number[position]:
                assert not is_valid_bill_number(number[:position] + digit + number[position + 1 :])
    for position in range(11):
        a, b = number[position], number[position + 1]
        if a != b and {a, b} != {"0", "9"}:  # Luhn's one blind spot
            assert not is_valid_bill_number(number[:position] + b + a + number[position + 2 :])


@pytest.mark.parametrize("value", ["", "12345678901", "1234567890123", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢", " 00000000000"])
def test_malformed_bill_numbers_are_invalid(value: str) -> None:
    assert not is_valid_bill_number(value)


def test_the_sandbox_is_the_default_and_a_class_can_be_named() -> None:
    assert isinstance(load_payment_adapter({}), SandboxPayments)
    assert isinstance(load_payment_adapter({"GATEWAY_PAYMENT_ADAPTER": " Sandbox "}), SandboxPayments)
    adapter = load_payment_adapter({"GATEWAY_PAYMENT_ADAPTER": "gateway.payments.adapter:SandboxPayments"})
    assert isinstance(adapter, PaymentAdapter) and adapter.name == "sandbox"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("nonsense", "must be 'sandbox' or 'package.module:ClassName'"),
        ("no.such.module:Thing", "cannot import module"),
        ("gateway.payments.adapter:Missing", "has no 'Missing'"),
        ("gateway.payments.adapter:SANDBOX", "is not a class"),
        ("gateway.payments.adapter:CallbackResult", "could not be constructed"),
        ("collections:OrderedDict", "must have a name"),
    ],
)
def test_a_bad_adapter_is_a_config_error(value: str, words: str) -> None:
    with pytest.raises(ConfigError, match="GATEWAY_PAYMENT_ADAPTER") as caught:
        load_payment_adapter({"GATEWAY_PAYMENT_ADAPTER": value})
    assert words in str(caught.value)


def _body(**fields: object) -> bytes:
    data: dict[str, object] = {
        "bill_number": "000000000000",
        "amount": "150.50",
        "reference": "BANK-1",
        "paid_at": "2026-11-22T10:00:00+03:00",
    }
    data.update(fields)
    return json.dumps({key: value for key, value in data.items() if value is not None}).encode()


def test_the_standard_callback_is_read_exactly() -> None:
    result = parse_standard_callback(
        b'{"bill_number": "000000000000", "amount": 2000.10, "reference": " R1 ", '
        b'"paid_at": "2026-11-22T10:00:00+03:00"}'
    )
    assert result.amount == Decimal("2000.10")
    assert result.provider_reference == "R1"
    assert result.paid_at == datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
    naive = parse_standard_callback(_body(paid_at="2026-11-22T10:00:00"))
    assert naive.paid_at == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        _body(bill_number="000000000001"),
        _body(bill_number=12),
        _body(amount="-5"),
        _body(amount="0"),
        _body(amount="1.234"),
        _body(amount="NaN"),
        _body(amount="Infinity"),
        _body(amount=True),
        _body(amount="lots"),
        _body(amount="99999999999.00"),
        _body(reference=""),
        _body(reference="x" * 129),
        _body(reference=5),
        _body(paid_at="yesterday"),
        _body(paid_at=None),
    ],
)
def test_malformed_callbacks_are_refused(body: bytes) -> None:
    with pytest.raises(InvalidCallback):
        SandboxPayments().parse_callback({}, body)
