"""What Musaned offers: the program, its services, who may use it and how to reach it.

Everything a person reads is an English msgid translated lazily through the
plugin's own gettext domain (``musaned``), so the same declaration serves the
Arabic and the English page. Fees and time limits are settings, not code.
"""

from __future__ import annotations

from decimal import Decimal

import sdk

SLUG = "musaned"

translations = sdk.TranslationDomain.for_package("plugins.musaned", SLUG)
_l = translations.lazy_gettext

SETTINGS = (
    sdk.Setting(
        name="visa_fee",
        default=Decimal("2000"),
        parse=sdk.parse_decimal(minimum=Decimal("0")),
        help="Fee for a domestic worker recruitment visa, in SAR, paid through a bill number.",
    ),
    sdk.Setting(
        name="contract_advance_percent",
        default=25,
        parse=sdk.parse_int(minimum=0, maximum=100),
        help="Share of a mediation contract's value paid to the recruitment office in advance, in percent.",
    ),
    sdk.Setting(
        name="complaint_after_days",
        default=60,
        parse=sdk.parse_int(minimum=1),
        help="Days after the contract after which a complaint about a worker who has not arrived can be filed.",
    ),
)
"""The configuration keys (``GATEWAY_MUSANED_<NAME>``) and their defaults from the seeds."""

SERVICES = (
    sdk.Service(
        slug="new_visa",
        name=_l("New visa request"),
        summary=_l(
            "Request a recruitment visa for a domestic worker, such as a housemaid, a private driver or a "
            "caregiver. The visa fee is paid through a bill number, and proof of financial capacity (a salary "
            "certificate or a bank statement) is uploaded with the request."
        ),
    ),
    sdk.Service(
        slug="issued_visas",
        name=_l("Issued visas"),
        summary=_l("See the visas that have been issued to you and their details."),
    ),
    sdk.Service(
        slug="follow_request",
        name=_l("Follow a request"),
        summary=_l("Follow the status of a visa request you have submitted."),
    ),
    sdk.Service(
        slug="visa_inquiry",
        name=_l("Visa inquiry"),
        summary=_l("Look up a visa by its request number or by your ID number."),
    ),
    sdk.Service(
        slug="recruitment_offices",
        name=_l("Recruitment offices directory"),
        summary=_l("Find the licensed recruitment offices in the Kingdom and compare them."),
    ),
    sdk.Service(
        slug="mediation_contract",
        name=_l("Contract with a recruitment office"),
        summary=_l(
            "Sign a mediation contract with a licensed recruitment office to bring the worker to you; part of "
            "the contract's value is paid in advance."
        ),
    ),
    sdk.Service(
        slug="contract_requests",
        name=_l("Follow contract requests"),
        summary=_l("Follow your contract requests with recruitment offices until the worker arrives."),
    ),
    sdk.Service(
        slug="worker_not_arrived",
        name=_l("Complaint about a worker who has not arrived"),
        summary=_l("File a complaint when the worker has not arrived long after the contract was signed."),
    ),
    sdk.Service(
        slug="support_tickets",
        name=_l("Support tickets"),
        summary=_l("Open a support ticket for a question or a problem, and follow its status."),
    ),
)

PROGRAM = sdk.Program(
    slug=SLUG,
    name=_l("Musaned"),
    summary=_l(
        "Recruitment of domestic workers: visas, licensed recruitment offices, mediation contracts and complaints."
    ),
    translations=translations,
    services=SERVICES,
    conditions=(
        _l("You have an active account on Absher, the national registry platform."),
        _l("You have no unpaid traffic violations."),
    ),
    contacts=(
        sdk.ContactPoint(kind="phone", value="920002866", label=_l("Unified number")),
        sdk.ContactPoint(kind="phone", value="19911", label=_l("Labour hotline for reports")),
    ),
)
"""Musaned as the portal shows it. No service has an online form yet, so none is linked."""
