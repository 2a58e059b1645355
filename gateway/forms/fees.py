"""The fee of an application: the plugin's computed fee, or the fixed fee its settings hold.

Shown on the "check your answers" page and billed on submission from the
same function, so the amount a person agrees to is the amount billed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app

from bawaba_sdk.identity import PersonView

from ..hooks import HookFailed
from ..payments import service as payments
from .flow import ServiceRef, step_answers

logger = logging.getLogger("gateway.forms")

HOOK = "gateway_application_fee"
HALALA = Decimal("0.01")
MAX_FEE = Decimal("9999999999.99")
"""The largest amount a bill holds (``Numeric(12, 2)``)."""


class FeeError(Exception):
    """The plugin's fee hook raised or answered something that is not an amount."""


def application_fee(ref: ServiceRef, answers: Mapping[str, Any], person: PersonView) -> Decimal | None:
    """The fee to bill for these answers, or ``None`` when there is none (or it is zero).

    :raises FeeError: when the owning plugin's ``gateway_application_fee`` fails.
    """
    hooks = current_app.extensions["gateway"].plugins.hooks
    try:
        computed = hooks.application_fee(
            ref.plugin, program=ref.program, service=ref.service, answers=step_answers(answers), person=person
        )
    except HookFailed as exc:  # logged and audited by the facade
        raise FeeError(f"plugin {ref.plugin} raised in {HOOK}") from exc
    if computed is None:
        return payments.service_fee(ref.program, ref.service)
    if isinstance(computed, bool):  # Decimal(True) is 1: a plugin's slip must not bill 1 SAR
        raise FeeError(f"plugin {ref.plugin} returned {computed!r} from {HOOK}")
    try:
        amount = Decimal(computed)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise FeeError(f"plugin {ref.plugin} returned {computed!r} from {HOOK}") from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_FEE or amount != amount.quantize(HALALA):
        raise FeeError(f"plugin {ref.plugin} returned {computed!r} from {HOOK}: not an amount in halalas")
    return amount if amount > 0 else None
