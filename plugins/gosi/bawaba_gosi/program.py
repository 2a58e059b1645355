"""What social insurance (GOSI) offers its contributors, and who it is for.

Everything a person reads is an English msgid translated lazily through the
plugin's own gettext domain (``gosi``). The pension formula's parameters will
be settings when the pension service is built, never code.
"""

from __future__ import annotations

import bawaba_sdk as sdk

from . import treatment
from .applications import EXTRA_LABELS, SANED_EXTRA_LABELS, SANED_STEPS, SERVICE_STEPS
from .i18n import SLUG, _l, translations

SERVICES = (
    sdk.Service(
        slug="pension",
        name=_l("Apply for a pension"),
        summary=_l("Apply for your pension. It is calculated from your registered employment periods and wages."),
        steps=SERVICE_STEPS,
        reference_prefix="GOP",
        extra_labels=EXTRA_LABELS,
    ),
    sdk.Service(
        slug="saned",
        name=_l("Apply for SANED unemployment insurance"),
        summary=_l(
            "After losing your job, apply for SANED's monthly allowance, "
            "worked out from the wages of your last 24 months."
        ),
        steps=SANED_STEPS,
        reference_prefix="GOS",
        extra_labels=SANED_EXTRA_LABELS,
    ),
    sdk.Service(
        slug="health_treatment",
        name=_l("Health insurance and treatment"),
        summary=_l(
            "Request treatment covered by social insurance, such as physiotherapy after an occupational injury."
        ),
        steps=treatment.STEPS,
        reference_prefix="GOT",
        transitions=treatment.TRANSITIONS,
        extra_labels=treatment.EXTRA_LABELS,
    ),
    sdk.Service(
        slug="employment_record",
        name=_l("Employment periods and wages"),
        summary=_l(
            "See the employment periods and the wages registered for you, from which your pension is calculated."
        ),
        endpoint="gosi.employment_record",
    ),
    sdk.Service(
        slug="personal_data",
        name=_l("Update personal data"),
        summary=_l("Correct or update the personal data in your social insurance record."),
    ),
    sdk.Service(
        slug="inquiries",
        name=_l("Contact and inquiries"),
        summary=_l("Contact social insurance when you face a problem or have a question."),
    ),
)

PROGRAM = sdk.Program(
    slug=SLUG,
    name=_l("Social Insurance (GOSI)"),
    summary=_l(
        "Pensions, health insurance and treatment for workers and their families, from the General "
        "Organization for Social Insurance."
    ),
    translations=translations,
    services=SERVICES,
    staff_roles=((treatment.MEDICAL, _l("Medical staff")),),
    conditions=(
        _l("Workers covered by social insurance, and their family members."),
        _l("An account registered with your civil number and activated with a code sent to your mobile or email."),
    ),
)
"""GOSI as the portal shows it: the pension has an online form, the employment record its page."""
