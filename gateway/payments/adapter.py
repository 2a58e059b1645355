"""The payment adapter interface, the sandbox, and how configuration chooses one.

Payment providers are outside systems. The portal talks to them through
:class:`PaymentAdapter`: the adapter says how a citizen pays a bill (the text
on the bill page) and reads the provider's callback into a
:class:`CallbackResult`. A deployment swaps the sandbox for a real provider
by setting ``GATEWAY_PAYMENT_ADAPTER=package.module:ClassName`` (constructed
with the app's configuration), with no code change.

Signature checking is NOT the adapter's job: the callback view checks the
HMAC of the raw body with ``GATEWAY_PAYMENT_CALLBACK_SECRET`` before any
adapter code sees a byte, so a buggy adapter cannot accept a forged payment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, runtime_checkable

from flask_babel import gettext as _

from ..adapters import construct_configured_adapter
from ..settings import ConfigError
from .models import PROVIDER_REFERENCE_LENGTH, Bill
from .numbers import is_valid_bill_number

SANDBOX = "sandbox"
ADAPTER_KEY = "GATEWAY_PAYMENT_ADAPTER"
MAX_AMOUNT = Decimal("9999999999.99")
"""The largest amount ``Numeric(12, 2)`` holds."""


class InvalidCallback(ValueError):  # noqa: N818 - the public name says what happened
    """A callback body the adapter cannot read (bad JSON, missing or malformed field)."""


@dataclass(frozen=True)
class CallbackResult:
    """What a provider's callback says: this bill was paid, this much, with this reference, at this time."""

    bill_number: str
    amount: Decimal
    provider_reference: str
    paid_at: datetime


@runtime_checkable
class PaymentAdapter(Protocol):
    """How citizens pay bills, and how a provider tells the portal they did."""

    name: str
    """The adapter's name in ``/payments/callback/<name>`` and in ``paid_source`` (``provider:<name>``)."""

    def payment_instructions(self, bill: Bill) -> str:
        """The text the citizen reads on the bill page: where and how to pay."""
        ...

    def parse_callback(self, headers: Mapping[str, str], raw_body: bytes) -> CallbackResult:
        """Read an already signature-checked callback.

        :raises InvalidCallback: when the body is not a payment notice this adapter understands.
        """
        ...


def parse_standard_callback(raw_body: bytes) -> CallbackResult:
    """The portal's own callback format, ``{"bill_number", "amount", "reference", "paid_at"}``.

    Amounts are read as decimals straight from the JSON text (never through a
    float), so ``2000.10`` stays exactly 2000.10. ``paid_at`` is ISO 8601; a
    time without an offset is taken to be UTC.
    """
    try:
        data = json.loads(raw_body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCallback("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise InvalidCallback("the body must be a JSON object")
    bill_number = data.get("bill_number")
    if not isinstance(bill_number, str) or not is_valid_bill_number(bill_number):
        raise InvalidCallback("bill_number must be a 12-digit bill number with a valid check digit")
    amount = _amount(data.get("amount"))
    reference = data.get("reference")
    if not isinstance(reference, str) or not reference.strip() or len(reference) > PROVIDER_REFERENCE_LENGTH:
        raise InvalidCallback(f"reference must be a non-empty string of at most {PROVIDER_REFERENCE_LENGTH} characters")
    return CallbackResult(bill_number, amount, reference.strip(), _paid_at(data.get("paid_at")))


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidCallback("amount must be a number or a decimal string")
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise InvalidCallback("amount must be a number or a decimal string") from exc
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidCallback("amount must be positive with at most two decimal places")
    return amount


def _paid_at(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidCallback("paid_at must be an ISO 8601 date and time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidCallback("paid_at must be an ISO 8601 date and time") from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class SandboxPayments:
    """The payment sandbox: nothing leaves the machine.

    In development and testing the citizen's bill page offers a "Pay now
    (sandbox)" button; an operator can also run ``gateway payments
    mark-paid``. Its callbacks use the portal's standard format, so the
    callback endpoint can be exercised end to end without a provider.
    """

    name = SANDBOX

    def __init__(self, app_config: Mapping[str, Any] | None = None) -> None:
        self.app_config = dict(app_config or {})

    def payment_instructions(self, bill: Bill) -> str:
        return _(
            "This is the payment sandbox: no real money is taken. "
            "Pay with the sandbox button on this page, or ask an operator to mark bill %(number)s as paid.",
            number=bill.bill_number,
        )

    def parse_callback(self, headers: Mapping[str, str], raw_body: bytes) -> CallbackResult:
        return parse_standard_callback(raw_body)


def load_payment_adapter(app_config: Mapping[str, Any]) -> PaymentAdapter:
    """Build the adapter that ``GATEWAY_PAYMENT_ADAPTER`` names.

    ``sandbox`` (the default) or ``package.module:ClassName``, which is
    imported and called with ``app_config``.

    :raises ConfigError: naming the key and what is wrong with its value.
    """
    choice = str(app_config.get(ADAPTER_KEY) or SANDBOX).strip()
    if choice.lower() == SANDBOX:
        return SandboxPayments(app_config)
    prefix = f"{ADAPTER_KEY}={choice!r}"
    class_name = choice.partition(":")[2].strip()
    adapter = construct_configured_adapter(ADAPTER_KEY, choice, app_config)
    if not isinstance(adapter, PaymentAdapter) or not isinstance(getattr(adapter, "name", None), str):
        raise ConfigError(f"{prefix}: {class_name} must have a name and payment_instructions() and parse_callback()")
    if not adapter.name or not adapter.name.replace("_", "").replace("-", "").isalnum() or len(adapter.name) > 32:
        raise ConfigError(f"{prefix}: the adapter's name must be 1-32 letters, digits, '-' or '_'")
    return adapter
