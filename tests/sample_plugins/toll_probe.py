"""A program used only by the payments tests: one service whose workflow waits for a fee.

``pay_then_review`` goes submitted -> fee_paid when its bill is paid (the
portal makes that move as ``system``), then staff review it as usual. The
fee is configuration, like a real program's (``TOLLPROBE_PERMIT_FEE``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import bawaba_sdk as sdk
from bawaba_sdk import Program, Service, Setting, TranslationDomain, hookimpl, parse_decimal

translations = TranslationDomain(Path(__file__).parent / "translations", "tollprobe")

SERVICE = Service(
    slug="permit",
    name="Road permit",
    summary="A permit that is reviewed once its fee is paid.",
    reference_prefix="TOLL",
    fee_setting="permit_fee",
    states=(sdk.WorkflowState("fee_paid", "Fee paid"),),
    transitions=(
        *sdk.COMMON_TRANSITIONS,
        sdk.Transition("submitted", "fee_paid", "system", "Fee received", on_payment=True),
        sdk.Transition("fee_paid", "in_review", "staff", "Start the review"),
    ),
)
FREE_SERVICE = Service(slug="inquiry", name="Inquiry", summary="No fee, the common workflow.")

PROGRAM = Program(
    slug="tollprobe",
    name="Toll probe",
    summary="Exercises fees and payments.",
    translations=translations,
    services=(SERVICE, FREE_SERVICE),
)


@hookimpl
def gateway_register_program() -> Program:
    return PROGRAM


@hookimpl
def gateway_register_settings() -> list[Setting]:
    return [Setting("permit_fee", Decimal("150.50"), parse_decimal(minimum=Decimal("0")), "The permit's fee in SAR.")]
