"""Mediation contracts: a person's issued visa, a licensed office, and following the contract to the worker's arrival.

A contract is an ordinary application of the ``mediation_contract`` service,
kept in the host's store like every other; its scope is the office's licence
number, so an office user (a staff member whose role is scoped to that
licence) sees and acts on the contracts made with their office only.

The money is never taken from the form: the contract's value is the chosen
office's price for the visa's nationality, read from the directory when the
fee is worked out and again when the contract is recorded, and the advance
billed at submission is ``contract_advance_percent`` of it, in halalas.

Dates are Saudi calendar days (UTC+3, no daylight saving). The expected
arrival is the contract date plus the office's average delivery days: first
counted from the request, then again from the day the office accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import Schema, field, fields
from bawaba_sdk.validators import format_sar

from .i18n import _, _l, ngettext
from .office_store import CITIES, Office, active_offices_recruiting, office_by_licence
from .saudi_time import local_date, today
from .visas import worker_type_label
from .web import SLUG

SERVICE = "mediation_contract"
VISA_SERVICE = "new_visa"
VISA_ISSUED = "issued"
REFERENCE_PREFIX = "MSC"

SUBMITTED = "submitted"
ACCEPTED = "accepted"
IN_PROGRESS = "in_progress"
WORKER_ARRIVED = "worker_arrived"
CANCELLED = "cancelled"

WAITING = frozenset({SUBMITTED, ACCEPTED, IN_PROGRESS})
"""States in which the worker is still expected."""
RELEASED = frozenset({CANCELLED, "withdrawn", "rejected"})
"""States that free the visa for another contract (every other state holds it, arrival included)."""

HALALA = Decimal("0.01")


def _answer(answers: Mapping[str, Any], step: str, name: str) -> str:
    """One answer as text, ``""`` when the step or field is missing (hooks see unexpected answers too)."""
    data = answers.get(step)
    value = data.get(name) if isinstance(data, Mapping) else None
    return str(value).strip() if value is not None else ""


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


# -- visas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedVisa:
    """One of the person's issued recruitment visas, as the visa request recorded it."""

    reference: str
    visa_number: str
    nationality: str
    worker_type: str


def issued_visas(person: sdk.PersonView) -> list[IssuedVisa]:
    """The person's issued visas still valid today, newest first (read from their visa requests)."""
    visas = []
    now = today()
    for application in sdk.applications_of(SLUG, person, VISA_SERVICE):
        number = str(application.extra.get("visa_number") or "")
        worker = application.answers.get("worker")
        worker = worker if isinstance(worker, Mapping) else {}
        nationality = str(worker.get("nationality") or "").upper()
        if application.state != VISA_ISSUED or not number or not nationality:
            continue
        expires_on = _date(application.extra.get("visa_expires_on"))
        if expires_on is not None and expires_on < now:
            continue
        visas.append(IssuedVisa(application.reference, number, nationality, str(worker.get("worker_type") or "")))
    return visas


# -- contracts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contract:
    """A contract application read back from the host's store, with what this module recorded in ``extra``."""

    application: sdk.ApplicationView

    @property
    def reference(self) -> str:
        return self.application.reference

    @property
    def state(self) -> str:
        return self.application.state

    @property
    def state_label(self) -> str:
        return self.application.state_label or self.application.state

    @property
    def visa_number(self) -> str:
        return str(self.application.extra.get("visa_number") or _answer(self.application.answers, "visa", "visa"))

    @property
    def office_licence(self) -> str:
        return str(
            self.application.scope
            or self.application.extra.get("office_licence")
            or _answer(self.application.answers, "office", "office")
        )

    def office_name(self, language: str) -> str:
        """The office's name as it was when the contract was made (offices may be renamed later)."""
        name = self.application.extra.get(f"office_name_{language}")
        return str(name) if name else self.office_licence

    @property
    def value(self) -> Decimal | None:
        return _amount(self.application.extra.get("contract_value"))

    @property
    def advance(self) -> Decimal | None:
        return _amount(self.application.extra.get("advance"))

    @property
    def submitted_on(self) -> date | None:
        return local_date(self.application.submitted_at)

    @property
    def accepted_on(self) -> date | None:
        return _date(self.application.extra.get("accepted_on"))

    @property
    def arrived_on(self) -> date | None:
        return _date(self.application.extra.get("arrived_on"))

    @property
    def expected_arrival_on(self) -> date | None:
        return _date(self.application.extra.get("expected_arrival_on"))

    @property
    def contract_date(self) -> date | None:
        """The day the contract was made: the office's acceptance, else (not accepted yet) the request."""
        return self.accepted_on or self.submitted_on

    @property
    def waiting(self) -> bool:
        """The worker is still expected (requested, accepted or in progress)."""
        return self.state in WAITING

    @property
    def url(self) -> str:
        return sdk.application_url(self.reference)


def contracts_of(person: sdk.PersonView) -> list[Contract]:
    """The person's contracts, newest first."""
    return [Contract(application) for application in sdk.applications_of(SLUG, person, SERVICE)]


def free_visas(person: sdk.PersonView) -> list[IssuedVisa]:
    """Issued visas that no contract holds (a cancelled contract frees its visa; an arrival uses it up)."""
    held = {contract.visa_number for contract in contracts_of(person) if contract.state not in RELEASED}
    return [visa for visa in issued_visas(person) if visa.visa_number not in held]


# -- the price -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """What a contract costs: the office's price for the visa's nationality and the advance billed now."""

    visa: IssuedVisa
    office: Office
    value: Decimal
    advance: Decimal


def advance_of(value: Decimal, percent: int | Decimal) -> Decimal:
    """``percent`` of ``value``, rounded to the halala (half up, as a bill is)."""
    return (value * Decimal(percent) / Decimal(100)).quantize(HALALA, rounding=ROUND_HALF_UP)


def quote(answers: Mapping[str, Any], person: sdk.PersonView) -> Quote | None:
    """The price of the contract these answers describe, or ``None`` when they do not describe one.

    Works from the directory and the person's own issued visas only: nothing
    typed or posted sets an amount.
    """
    visa_number = _answer(answers, "visa", "visa")
    licence = _answer(answers, "office", "office")
    if not visa_number or not licence:
        return None
    visa = next((visa for visa in issued_visas(person) if visa.visa_number == visa_number), None)
    office = office_by_licence(sdk.db_session(), licence)
    if visa is None or office is None or not office.active:
        return None
    price = office.price_for(visa.nationality)
    if price is None:
        return None
    percent = sdk.plugin_settings(SLUG)["contract_advance_percent"]
    return Quote(visa=visa, office=office, value=price, advance=advance_of(price, percent))


def fee(answers: Mapping[str, Any], person: sdk.PersonView) -> Decimal | None:
    """The advance, billed when the request is sent (``None`` before the answers describe a contract)."""
    found = quote(answers, person)
    return found.advance if found is not None else None


# -- the form ------------------------------------------------------------------------------


def visa_choices() -> list[tuple[str, str]]:
    """The signed-in person's issued visas that have no contract yet."""
    person = sdk.current_person()
    if person is None:
        return []
    return [
        (
            visa.visa_number,
            _(
                "Visa %(number)s: %(worker)s from %(country)s",
                number=visa.visa_number,
                worker=worker_type_label(visa.worker_type),
                country=sdk.country_name(visa.nationality),
            ),
        )
        for visa in free_visas(person)
    ]


def office_label(office: Office, nationalities: Sequence[str], language: str) -> str:
    """An office as an option: name, city, rating, delivery time and its price for the nationalities concerned."""
    separator = "، " if language == "ar" else "; "
    prices = separator.join(
        _(
            "%(amount)s for a worker from %(country)s",
            country=sdk.country_name(code),
            amount=format_sar(price, language),
        )
        for code in nationalities
        if (price := office.price_for(code)) is not None
    )
    return _(
        "%(office)s (%(city)s), rated %(rating)s of 5, about %(days)s days to deliver; price: %(prices)s",
        office=office.name(language),
        city=CITIES.get(office.city, office.city),
        rating=office.rating,
        days=office.average_delivery_days,
        prices=prices,
    )


def office_choices(answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Active offices that recruit the nationality of the visa chosen in the first step.

    Before a visa is chosen (the API's description of the form), the
    nationalities of all the person's visas without a contract.
    """
    person = sdk.current_person()
    if person is None:
        return []
    visas = free_visas(person)
    chosen = str((answers.get("visa") or {}).get("visa") or "")
    nationalities = sorted({visa.nationality for visa in visas if visa.visa_number == chosen}) or sorted(
        {visa.nationality for visa in visas}
    )
    language = sdk.current_language()
    return [
        (office.licence_number, office_label(office, nationalities, language))
        for office in active_offices_recruiting(sdk.db_session(), nationalities)
    ]


class VisaStep(Schema):
    """Which issued visa the contract brings a worker for."""

    visa = fields.String(
        required=True,
        metadata=field(
            label=_l("Issued visa"),
            help=_l("Only your issued visas that have no contract yet are listed."),
            widget="select",
            choices=visa_choices,
        ),
    )


class OfficeStep(Schema):
    """Which licensed office recruits the worker."""

    office = fields.String(
        required=True,
        metadata=field(
            label=_l("Recruitment office"),
            help=_l(
                "Licensed offices that recruit workers of your visa's nationality, with their price and usual "
                "delivery time. The office's price is the contract's value; part of it is billed in advance when "
                "you send the request."
            ),
            widget="select",
            choices=office_choices,
        ),
    )


def validate_step(
    step: sdk.FormStep, data: Mapping[str, Any], answers: Mapping[str, Any], person: sdk.PersonView
) -> dict[str, str] | None:
    """The visa must be the person's own, issued and free; the office active and recruiting that nationality."""
    if step.slug == "visa":
        number = str(data.get("visa") or "")
        if not any(visa.visa_number == number for visa in free_visas(person)):
            return {"visa": _("Choose one of your issued visas that has no contract yet.")}
        return None
    if step.slug != "office":
        return None
    visa_number = _answer(answers, "visa", "visa")
    visa = next((visa for visa in free_visas(person) if visa.visa_number == visa_number), None)
    if visa is None:
        return {"office": _("Choose one of your issued visas that has no contract yet first, then the office.")}
    office = office_by_licence(sdk.db_session(), str(data.get("office") or ""))
    if office is None or not office.active:
        return {"office": _("This office is not taking new contracts. Choose another office.")}
    if office.price_for(visa.nationality) is None:
        return {
            "office": _(
                "%(office)s does not recruit workers from %(country)s. Choose an office that does.",
                office=office.name(sdk.current_language()),
                country=sdk.country_name(visa.nationality),
            )
        }
    return None


def eligibility(person: sdk.PersonView) -> list[sdk.EligibilityCheck]:
    """A contract needs an issued visa that no contract holds yet."""
    free = free_visas(person)
    label = _l("You have an issued visa without a contract")
    if free:
        detail = ngettext(
            "%(num)d issued visa can be used for a contract.",
            "%(num)d issued visas can be used for a contract.",
            len(free),
        )
        return [sdk.EligibilityCheck(label, True, detail)]
    if issued_visas(person):
        detail = _(
            "Each of your issued visas already has a contract. Follow them under “Follow contract requests”; "
            "a cancelled contract frees its visa."
        )
    else:
        detail = _(
            "You have no valid issued visa. Send a new visa request, pay its fee, and come back once the visa is "
            "issued."
        )
    return [sdk.EligibilityCheck(label, False, detail)]


# -- the workflow --------------------------------------------------------------------------


def transitioned(application: sdk.ApplicationView, source: str, target: str, actor: str) -> dict[str, Any] | None:
    """Record the office, the money and the dates on the contract as it moves."""
    if target == SUBMITTED and source == "draft":
        return _recorded_at_submission(application)
    day = today()
    if target == ACCEPTED:
        recorded: dict[str, Any] = {"accepted_on": day.isoformat()}
        days = application.extra.get("delivery_days")
        if isinstance(days, int) and days > 0:
            recorded["expected_arrival_on"] = (day + timedelta(days=days)).isoformat()
        return recorded
    if target == WORKER_ARRIVED:
        return {"arrived_on": day.isoformat()}
    if target == CANCELLED:
        return {"cancelled_on": day.isoformat()}
    return None


def _recorded_at_submission(application: sdk.ApplicationView) -> dict[str, Any] | None:
    licence = application.scope or _answer(application.answers, "office", "office")
    office = office_by_licence(sdk.db_session(), licence) if licence else None
    if office is None:
        return None
    day = today()
    recorded: dict[str, Any] = {
        "office_licence": office.licence_number,
        "office_name_ar": office.name_ar,
        "office_name_en": office.name_en,
        "delivery_days": office.average_delivery_days,
        "expected_arrival_on": (day + timedelta(days=office.average_delivery_days)).isoformat(),
    }
    person = sdk.current_person()
    found = quote(application.answers, person) if person is not None else None
    if person is not None and person.subject == application.person_subject and found is not None:
        recorded.update(
            visa_number=found.visa.visa_number,
            nationality=found.visa.nationality,
            contract_value=str(found.value),
            advance=str(found.advance),
        )
    return recorded


STATES: tuple[sdk.WorkflowState, ...] = (
    sdk.WorkflowState(ACCEPTED, _l("Accepted by the office")),
    sdk.WorkflowState(IN_PROGRESS, _l("In progress: the office is bringing the worker")),
    sdk.WorkflowState(WORKER_ARRIVED, _l("Worker arrived"), terminal=True),
    sdk.WorkflowState(CANCELLED, _l("Cancelled"), terminal=True),
)

TRANSITIONS: tuple[sdk.Transition, ...] = (
    sdk.Transition(SUBMITTED, ACCEPTED, "staff", _l("Accept the contract")),
    sdk.Transition(SUBMITTED, CANCELLED, "staff", _l("Decline the contract"), needs_comment=True),
    sdk.Transition(SUBMITTED, CANCELLED, "citizen", _l("Cancel the request")),
    sdk.Transition(ACCEPTED, IN_PROGRESS, "system", _l("Advance paid"), on_payment=True),
    sdk.Transition(ACCEPTED, CANCELLED, "citizen", _l("Cancel the contract"), needs_comment=True),
    sdk.Transition(ACCEPTED, CANCELLED, "staff", _l("Cancel the contract"), needs_comment=True),
    sdk.Transition(IN_PROGRESS, WORKER_ARRIVED, "staff", _l("Record the worker's arrival")),
    sdk.Transition(IN_PROGRESS, CANCELLED, "staff", _l("Cancel the contract"), needs_comment=True),
)
"""Requested (``submitted``) → accepted by the office → in progress once the advance is paid → worker arrived.

The office declines or cancels with a reason; the person may cancel a request
freely and an accepted contract with a reason; once the advance is paid only
the office (or Musaned's staff) can cancel, because money has changed hands.
"""

SERVICE_DECLARATION = sdk.Service(
    slug=SERVICE,
    name=_l("Contract with a recruitment office"),
    summary=_l(
        "Sign a mediation contract with a licensed recruitment office to bring the worker to you; part of "
        "the contract's value is paid in advance."
    ),
    steps=(
        sdk.FormStep("visa", _l("Your visa"), VisaStep),
        sdk.FormStep("office", _l("The recruitment office"), OfficeStep),
    ),
    states=STATES,
    transitions=TRANSITIONS,
    reference_prefix=REFERENCE_PREFIX,
    scope_answer="office.office",
)

HOOKS: dict[str, sdk.ServiceHooks] = {
    SERVICE: sdk.ServiceHooks(eligibility=eligibility, validate_step=validate_step, transitioned=transitioned, fee=fee)
}
