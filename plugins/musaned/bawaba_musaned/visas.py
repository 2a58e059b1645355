"""Visas: who may apply, the new visa request, issued visas, following a request and the inquiry.

The new visa request is a form served by the host (three steps: the worker,
the household, the proof of financial capacity); the other three services
are pages of the plugin (``visa_views``). What a person may choose (worker
types, nationalities) and every threshold (the fee, the minimum incomes, the
minimum salary, how long a visa lasts) are settings, checked when the portal
starts: a worker type the plugin has no name for stops the boot instead of
showing an untranslated slug to citizens.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import SarAmountField, Schema, field, fields, validate

from . import eligibility
from .i18n import _, _l
from .saudi_time import today
from .visa_store import NewVisa, issue_visa

"""Visas are dated in the Kingdom's time, whatever the server's clock zone."""

WORKER_TYPES: dict[str, Any] = {
    "housemaid": _l("Housemaid"),
    "private_driver": _l("Private driver"),
    "caregiver": _l("Caregiver or companion for a person with a disability"),
    "cook": _l("Home cook"),
    "nurse": _l("Home nurse"),
    "home_guard": _l("Home guard"),
    "gardener": _l("Home gardener"),
    "nanny": _l("Nanny"),
    "housekeeper": _l("Housekeeper"),
    "home_tailor": _l("Home tailor"),
}
"""Every worker type the plugin can name in both languages; the setting picks which are offered."""

DEFAULT_WORKER_TYPES = ("housemaid", "private_driver", "caregiver", "cook", "nurse", "home_guard", "gardener", "nanny")
DEFAULT_NATIONALITIES = ("PH", "LK", "IN", "BD", "NP", "KE", "UG", "ET", "PK")
NOT_A_COUNTRY = frozenset({"SA", "ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})
"""Codes CLDR names that are not a worker's nationality: the Kingdom itself and pseudo-regions."""
_ALPHA2 = re.compile(r"[A-Z]{2}")


def parse_id_types(value: Any) -> tuple[str, ...]:
    """``citizen``, ``resident`` or both; anything else stops the boot."""
    items = tuple(dict.fromkeys(item.lower() for item in sdk.parse_list(value)))
    unknown = [item for item in items if item not in eligibility.ID_TYPES]
    if unknown:
        raise sdk.SettingError(f"unknown ID type {unknown[0]!r}; use citizen, resident or both")
    if not items:
        raise sdk.SettingError("name at least one ID type (citizen, resident)")
    return items


def parse_worker_types(value: Any) -> tuple[str, ...]:
    """Worker type slugs the plugin can name; an unknown one stops the boot naming the known ones."""
    items = tuple(dict.fromkeys(item.lower() for item in sdk.parse_list(value)))
    unknown = [item for item in items if item not in WORKER_TYPES]
    if unknown:
        raise sdk.SettingError(f"unknown worker type {unknown[0]!r}; known types: {', '.join(WORKER_TYPES)}")
    if not items:
        raise sdk.SettingError("name at least one worker type")
    return items


def parse_nationalities(value: Any) -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes of real countries (their names come from CLDR in both languages)."""
    items = tuple(dict.fromkeys(item.upper() for item in sdk.parse_list(value)))
    for code in items:
        if not _ALPHA2.fullmatch(code) or code in NOT_A_COUNTRY or not _is_country(code):
            raise sdk.SettingError(f"{code!r} is not the ISO 3166-1 alpha-2 code of a worker's country")
    if not items:
        raise sdk.SettingError("name at least one nationality")
    return items


def _is_country(code: str) -> bool:
    try:
        sdk.CountryName(code)
    except ValueError:
        return False
    return True


SETTINGS: tuple[sdk.Setting, ...] = (
    sdk.Setting(
        name="visa_fee",
        default=Decimal("2000"),
        parse=sdk.parse_decimal(minimum=Decimal("0")),
        help="Fee for a domestic worker recruitment visa, in SAR, paid through a bill number.",
    ),
    sdk.Setting(
        name="allowed_id_types",
        default=("citizen", "resident"),
        parse=parse_id_types,
        help="Who may request a visa: citizen, resident or both (comma-separated).",
    ),
    sdk.Setting(
        name="min_monthly_income_citizen",
        default=Decimal("5000"),
        parse=sdk.parse_decimal(minimum=Decimal("0")),
        help="Minimum monthly income of a citizen requesting a visa, in SAR (financial capacity).",
    ),
    sdk.Setting(
        name="min_monthly_income_resident",
        default=Decimal("10000"),
        parse=sdk.parse_decimal(minimum=Decimal("0")),
        help="Minimum monthly income of a resident requesting a visa, in SAR (financial capacity).",
    ),
    sdk.Setting(
        name="worker_types",
        default=DEFAULT_WORKER_TYPES,
        parse=parse_worker_types,
        help=f"Worker types offered, comma-separated, among: {', '.join(WORKER_TYPES)}.",
    ),
    sdk.Setting(
        name="worker_nationalities",
        default=DEFAULT_NATIONALITIES,
        parse=parse_nationalities,
        help="Nationalities a worker may be recruited from: ISO 3166-1 alpha-2 codes, comma-separated.",
    ),
    sdk.Setting(
        name="min_worker_salary",
        default=Decimal("1000"),
        parse=sdk.parse_decimal(minimum=Decimal("0")),
        help="Lowest monthly salary that may be offered to the worker, in SAR.",
    ),
    sdk.Setting(
        name="visa_validity_days",
        default=730,
        parse=sdk.parse_int(minimum=1, maximum=3650),
        help="Days an issued visa stays valid, counted from the day it is issued.",
    ),
    sdk.Setting(
        name="max_open_visa_requests",
        default=3,
        parse=sdk.parse_int(minimum=0, maximum=100),
        help="Visa requests a person may have waiting for a decision at once (0: no limit).",
    ),
)


# -- what the form offers ------------------------------------------------------------------


def worker_type_label(slug: str) -> str:
    """The worker type in the request's language (the slug itself if it is no longer known)."""
    label = WORKER_TYPES.get(slug)
    return str(label) if label is not None else slug


def nationality_label(code: str) -> str:
    """The country's name in the request's language."""
    return sdk.country_name(code) if code else ""


def worker_type_choices() -> list[tuple[str, Any]]:
    """The worker types offered now, as configured."""
    return [(slug, WORKER_TYPES[slug]) for slug in eligibility.settings()["worker_types"]]


def nationality_choices() -> list[tuple[str, Any]]:
    """The configured nationalities, named from CLDR and sorted by name in the request's language."""
    names = [(code, sdk.CountryName(code)) for code in eligibility.settings()["worker_nationalities"]]
    return sorted(names, key=lambda choice: str(choice[1]))


DWELLINGS = (
    ("villa", _l("Villa")),
    ("apartment", _l("Apartment")),
    ("traditional_house", _l("Traditional house")),
)
REGIONS = (
    ("riyadh", _l("Riyadh")),
    ("makkah", _l("Makkah")),
    ("madinah", _l("Madinah")),
    ("eastern", _l("Eastern Province")),
    ("qassim", _l("Qassim")),
    ("asir", _l("Asir")),
    ("tabuk", _l("Tabuk")),
    ("hail", _l("Hail")),
    ("northern_borders", _l("Northern Borders")),
    ("jazan", _l("Jazan")),
    ("najran", _l("Najran")),
    ("al_bahah", _l("Al Bahah")),
    ("al_jawf", _l("Al Jawf")),
)
PROOF_KINDS = (
    ("salary_certificate", _l("Salary certificate")),
    ("bank_statement", _l("Bank statement for the last three months")),
)
MAX_SALARY = Decimal("100000")
"""No domestic worker is offered more a month; a larger figure is a typing mistake."""
MAX_INCOME = Decimal("10000000")


class WorkerSchema(Schema):
    """The worker the person wants to recruit."""

    worker_type = fields.String(
        required=True,
        metadata=field(label=_l("Type of worker"), widget="select", choices=worker_type_choices),
    )
    nationality = fields.String(
        required=True,
        metadata=field(label=_l("The worker's nationality"), widget="select", choices=nationality_choices),
    )
    salary = SarAmountField(
        required=True,
        maximum=MAX_SALARY,
        metadata=field(
            label=_l("Monthly salary you offer the worker (SAR)"),
            help=_l("The salary written in the worker's contract, in riyals, for example 1500."),
        ),
    )


class HouseholdSchema(Schema):
    """The household the worker will serve."""

    household_size = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=30),
        metadata=field(
            label=_l("Number of people in your household"),
            help=_l("Count yourself and everyone who lives with you."),
            widget="number",
        ),
    )
    dwelling_type = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in DWELLINGS]),
        metadata=field(label=_l("Type of home"), widget="radio", choices=DWELLINGS),
    )
    region = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in REGIONS]),
        metadata=field(label=_l("Region"), widget="select", choices=REGIONS),
    )
    city = fields.String(
        required=True,
        validate=validate.Length(min=2, max=60),
        metadata=field(label=_l("City"), help=_l("The city or village where the worker will live and work.")),
    )
    member_needing_care = fields.Boolean(
        load_default=False,
        metadata=field(
            label=_l("Care in the household"),
            help=_l("An elderly person or a person with a disability lives in the household."),
        ),
    )


class CapacitySchema(Schema):
    """The proof of financial capacity."""

    proof_kind = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in PROOF_KINDS]),
        metadata=field(label=_l("Proof of financial capacity"), widget="radio", choices=PROOF_KINDS),
    )
    monthly_income = SarAmountField(
        required=True,
        maximum=MAX_INCOME,
        metadata=field(
            label=_l("Your monthly income (SAR)"),
            help=_l("As the salary certificate or bank statement shows it."),
        ),
    )
    proof = fields.String(
        required=True,
        metadata=field(
            label=_l("Salary certificate or bank statement"),
            widget="file",
            help=_l("A PDF, JPEG or PNG file of at most 10 MB."),
        ),
    )


# -- the workflow ----------------------------------------------------------------------------

FEE_PAID = "fee_paid"
ISSUED = "issued"

NEW_VISA = sdk.Service(
    slug=eligibility.NEW_VISA,
    name=_l("New visa request"),
    summary=_l(
        "Request a recruitment visa for a domestic worker, such as a housemaid, a private driver or a "
        "caregiver. The visa fee is paid through a bill number, and proof of financial capacity (a salary "
        "certificate or a bank statement) is uploaded with the request."
    ),
    steps=(
        sdk.FormStep("worker", _l("The worker"), WorkerSchema),
        sdk.FormStep("household", _l("Your household"), HouseholdSchema),
        sdk.FormStep("capacity", _l("Financial capacity"), CapacitySchema),
    ),
    states=(
        sdk.WorkflowState(FEE_PAID, _l("Fee paid")),
        sdk.WorkflowState(ISSUED, _l("Visa issued"), terminal=True),
    ),
    transitions=(
        sdk.Transition("submitted", FEE_PAID, "system", _l("Visa fee paid"), on_payment=True),
        sdk.Transition("submitted", "withdrawn", "citizen", _l("Withdraw the request")),
        sdk.Transition(FEE_PAID, "in_review", "staff", _l("Start the review")),
        sdk.Transition("in_review", ISSUED, "staff", _l("Issue the visa")),
        sdk.Transition("in_review", "rejected", "staff", _l("Reject the request"), needs_comment=True),
        sdk.Transition("in_review", "needs_information", "staff", _l("Ask for information"), needs_comment=True),
        sdk.Transition("needs_information", "in_review", "citizen", _l("Send the information")),
    ),
    fee_setting="visa_fee",
    reference_prefix="MSV",
    extra_labels=(
        ("visa_number", _l("Visa number")),
        ("visa_issued_on", _l("Issued on")),
        ("visa_expires_on", _l("Expires on")),
    ),
)

SERVICES: tuple[sdk.Service, ...] = (
    NEW_VISA,
    sdk.Service(
        slug="issued_visas",
        name=_l("Issued visas"),
        summary=_l("See the visas that have been issued to you and their details."),
        endpoint="musaned.issued_visas",
    ),
    sdk.Service(
        slug="follow_request",
        name=_l("Follow a request"),
        summary=_l("Follow the status of a visa request you have submitted."),
        endpoint="musaned.follow_requests",
    ),
    sdk.Service(
        slug="visa_inquiry",
        name=_l("Visa inquiry"),
        summary=_l("Look up a visa by its request number or by your ID number."),
        endpoint="musaned.visa_inquiry",
    ),
)


# -- the hooks -------------------------------------------------------------------------------


def _sar(amount: Decimal) -> str:
    return eligibility.sar(amount)


def _check_worker(data: Mapping[str, Any]) -> dict[str, str]:
    values = eligibility.settings()
    problems: dict[str, str] = {}
    if data.get("worker_type") not in values["worker_types"]:
        problems["worker_type"] = _("Choose one of the worker types listed.")
    if data.get("nationality") not in values["worker_nationalities"]:
        problems["nationality"] = _("Choose one of the nationalities listed.")
    salary = data.get("salary")
    minimum = Decimal(values["min_worker_salary"])
    if isinstance(salary, Decimal) and salary < minimum:
        problems["salary"] = _("The salary must be at least %(minimum)s a month.", minimum=_sar(minimum))
    return problems


def _check_household(data: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, str]:
    worker = answers.get("worker")
    worker_type = worker.get("worker_type") if isinstance(worker, Mapping) else None
    if worker_type == "caregiver" and not data.get("member_needing_care"):
        return {
            "member_needing_care": _(
                "A caregiver is recruited for an elderly person or a person with a disability: tick the box if "
                "one lives in your household, or choose another type of worker."
            )
        }
    return {}


def _check_capacity(data: Mapping[str, Any], person: sdk.PersonView) -> dict[str, str]:
    income = data.get("monthly_income")
    minimum = eligibility.minimum_income(person.id_type)
    if isinstance(income, Decimal) and income < minimum:
        if person.id_type == eligibility.CITIZEN:
            message = _(
                "The minimum monthly income for citizens is %(minimum)s; you entered %(income)s.",
                minimum=_sar(minimum),
                income=_sar(income),
            )
        else:
            message = _(
                "The minimum monthly income for residents is %(minimum)s; you entered %(income)s.",
                minimum=_sar(minimum),
                income=_sar(income),
            )
        return {"monthly_income": message}
    try:
        unmet = eligibility.failed(eligibility.visa_checks(person))
    except sdk.RegistryUnavailable:
        message = _("The national registry is not answering at the moment. Try again in a few minutes.")
        return {"eligibility": message}
    if unmet:
        return {"eligibility": " ".join(str(check.detail or check.label) for check in unmet)}
    return {}


def validate_step(
    step: sdk.FormStep, data: Mapping[str, Any], answers: Mapping[str, Any], person: sdk.PersonView
) -> Mapping[str, str] | None:
    """Rules a schema cannot hold: today's settings, answers of an earlier step, the person's standing."""
    if step.slug == "worker":
        problems = _check_worker(data)
    elif step.slug == "household":
        problems = _check_household(data, answers)
    elif step.slug == "capacity":
        problems = _check_capacity(data, person)
    else:
        problems = {}
    return problems or None


def transitioned(application: sdk.ApplicationView, source: str, target: str, actor: str) -> Mapping[str, Any] | None:
    """On ``issued``: give the visa its number and dates, and say them on the application page."""
    if target != ISSUED:
        return None
    worker = application.answers.get("worker")
    worker = worker if isinstance(worker, Mapping) else {}
    issued_on = today()
    validity = int(eligibility.settings()["visa_validity_days"])
    visa = issue_visa(
        sdk.db_session(),
        NewVisa(
            application_reference=application.reference,
            person_subject=application.person_subject,
            worker_type=str(worker.get("worker_type") or ""),
            nationality=str(worker.get("nationality") or "")[:2],
            issued_on=issued_on,
            expires_on=issued_on + datetime.timedelta(days=validity),
        ),
        now=datetime.datetime.now(datetime.UTC),
    )
    return {
        "visa_number": visa.visa_number,
        "visa_issued_on": visa.issued_on.isoformat(),
        "visa_expires_on": visa.expires_on.isoformat(),
    }


HOOKS: dict[str, sdk.ServiceHooks] = {
    eligibility.NEW_VISA: sdk.ServiceHooks(
        eligibility=eligibility.visa_checks,
        validate_step=validate_step,
        transitioned=transitioned,
    ),
}
