"""Complaints about a worker who has not arrived long after the contract.

A complaint is an application of the ``worker_not_arrived`` service about one
of the person's contracts. It may be filed once more than
``complaint_after_days`` days (60 by default) have passed since the contract
date, which is the day the office accepted the contract (the ``accepted_on``
the contract recorded; the day of the request if none was recorded), while
the contract is accepted or in progress, i.e. the worker is still expected.

Complaints are handled by Musaned's own staff. They carry no scope, so an
office user (staff scoped to one office) never sees a complaint, not even one
against their own office. The labour hotline 19911 is given wherever a
complaint is offered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from marshmallow import ValidationError

import bawaba_sdk as sdk
from bawaba_sdk.forms import Schema, field, fields, validate
from bawaba_sdk.validators import gregorian_to_hijri

from .contracts import ACCEPTED, IN_PROGRESS, Contract, contracts_of
from .i18n import _, _l, ngettext
from .saudi_time import today
from .web import SLUG

SERVICE = "worker_not_arrived"
STEP = "complaint"
REFERENCE_PREFIX = "MSK"
LABOUR_HOTLINE = "19911"

RESOLVED = "resolved"
CLOSED = frozenset({RESOLVED, "rejected", "withdrawn"})
"""A complaint in any other state is still open: one open complaint per contract is enough."""
COMPLAINABLE = frozenset({ACCEPTED, IN_PROGRESS})
"""Contract states in which a late worker can be complained about (not requested, arrived or cancelled)."""

DETAILS_MIN, DETAILS_MAX = 10, 2000

SETTINGS: tuple[sdk.Setting, ...] = (
    sdk.Setting(
        name="complaint_after_days",
        default=60,
        parse=sdk.parse_int(minimum=1),
        help="Days after the contract after which a complaint about a worker who has not arrived can be filed.",
    ),
)


def after_days() -> int:
    return int(sdk.plugin_settings(SLUG)["complaint_after_days"])


def hijri(day: date) -> str:
    """``day`` in the Umm al-Qura calendar (``YYYY-MM-DD``), or ``""`` outside its table."""
    try:
        return gregorian_to_hijri(day).isoformat()
    except ValueError:
        return ""


# -- which contracts can be complained about -----------------------------------------------


def complaints_of(person: sdk.PersonView) -> list[sdk.ApplicationView]:
    """The person's complaints, newest first."""
    return sdk.applications_of(SLUG, person, SERVICE)


def complaint_contract(complaint: sdk.ApplicationView) -> str:
    data = complaint.answers.get(STEP)
    value = data.get("contract") if isinstance(data, Mapping) else None
    return str(value or complaint.extra.get("contract_reference") or "")


def first_filing_day(contract: Contract, days: int) -> date | None:
    """The first day a complaint about ``contract`` may be filed: more than ``days`` days after the contract date."""
    start = contract.contract_date
    return start + timedelta(days=days + 1) if start is not None else None


@dataclass(frozen=True)
class Standing:
    """Where the person stands: the contracts they can complain about now, and why the others cannot be."""

    late: list[Contract]
    """Complainable now."""
    not_yet: list[Contract]
    """Accepted or in progress, but not late enough yet."""
    already: list[Contract]
    """Late, but with a complaint still open."""
    unaccepted: list[Contract]
    """Requested, not accepted by the office yet."""

    @property
    def earliest(self) -> date | None:
        days = after_days()
        found = [day for contract in self.not_yet if (day := first_filing_day(contract, days)) is not None]
        return min(found) if found else None


def standing(person: sdk.PersonView) -> Standing:
    days = after_days()
    now = today()
    open_about = {complaint_contract(c) for c in complaints_of(person) if c.state not in CLOSED}
    late: list[Contract] = []
    not_yet: list[Contract] = []
    already: list[Contract] = []
    unaccepted: list[Contract] = []
    for contract in contracts_of(person):
        if contract.state == "submitted":
            unaccepted.append(contract)
            continue
        if contract.state not in COMPLAINABLE:
            continue
        first = first_filing_day(contract, days)
        if first is None or now < first:
            not_yet.append(contract)
        elif contract.reference in open_about:
            already.append(contract)
        else:
            late.append(contract)
    return Standing(late=late, not_yet=not_yet, already=already, unaccepted=unaccepted)


def is_late(contract: Contract) -> bool:
    """The worker of ``contract`` is still expected more than ``complaint_after_days`` after the contract."""
    first = first_filing_day(contract, after_days())
    return contract.state in COMPLAINABLE and first is not None and today() >= first


# -- eligibility ---------------------------------------------------------------------------


def eligibility(person: sdk.PersonView) -> list[sdk.EligibilityCheck]:
    """A complaint needs a contract whose worker is late and that has no open complaint."""
    days = after_days()
    found = standing(person)
    label = ngettext(
        "A contract of yours was made more than %(num)d day ago and its worker has not arrived",
        "A contract of yours was made more than %(num)d days ago and its worker has not arrived",
        days,
    )
    if found.late:
        references = ", ".join(contract.reference for contract in found.late)
        return [sdk.EligibilityCheck(label, True, _("Late contracts: %(references)s", references=references))]
    return [sdk.EligibilityCheck(label, False, _refusal(found, days))]


def _refusal(found: Standing, days: int) -> str:
    hotline = _("For urgent help, call the labour hotline %(number)s.", number=LABOUR_HOTLINE)
    earliest = found.earliest
    if earliest is not None:
        when = _(
            "You can file a complaint from %(date)s, once more than %(days)s days have passed since "
            "the office accepted your contract.",
            date=sdk.format_date(earliest, with_hijri=True),
            days=sdk.format_number(days),
        )
        return f"{when} {hotline}"
    if found.already:
        return _("You have already filed a complaint about each late contract: follow it under “My complaints”.")
    if found.unaccepted:
        waiting = _(
            "The office has not accepted your contract request yet; the delay is counted from the day it accepts. "
            "You can cancel the request from its page."
        )
        return f"{waiting} {hotline}"
    return _("You have no contract with a recruitment office whose worker is still expected.")


# -- the form ------------------------------------------------------------------------------


def contract_choices() -> list[tuple[str, str]]:
    """The signed-in person's contracts that can be complained about now."""
    person = sdk.current_person()
    if person is None:
        return []
    language = sdk.current_language()
    now = today()
    choices = []
    for contract in standing(person).late:
        start = contract.contract_date
        waited = (now - start).days if start is not None else 0
        choices.append(
            (
                contract.reference,
                _(
                    "%(reference)s with %(office)s: contract of %(date)s, %(days)s days ago",
                    reference=contract.reference,
                    office=contract.office_name(language),
                    date=start.isoformat() if start is not None else "",
                    days=waited,
                ),
            )
        )
    return choices


_UNSAFE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")


class DetailsField(fields.String):
    """Typed text without bidirectional overrides or control characters, trimmed (newlines kept)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = _UNSAFE.sub("", super()._deserialize(value, attr, data, **kwargs)).strip()
        if len(text) < DETAILS_MIN:
            raise ValidationError(_("Describe what happened in at least %(min)s characters.", min=DETAILS_MIN))
        return text


class ComplaintStep(Schema):
    """The contract concerned and what happened."""

    contract = fields.String(
        required=True,
        metadata=field(
            label=_l("The contract concerned"),
            help=_l("Only your accepted contracts whose worker is late, and that have no open complaint, are listed."),
            widget="select",
            choices=contract_choices,
        ),
    )
    details = DetailsField(
        required=True,
        validate=validate.Length(max=DETAILS_MAX),
        metadata=field(
            label=_l("What happened"),
            widget="textarea",
            help=_l(
                "What the office told you and when, from 10 to 2000 characters. Musaned's staff handle the "
                "complaint, not the office. For urgent help, call the labour hotline 19911."
            ),
        ),
    )


def validate_step(
    step: sdk.FormStep, data: Mapping[str, Any], answers: Mapping[str, Any], person: sdk.PersonView
) -> dict[str, str] | None:
    """The contract must be the person's own and late now (checked again on submission)."""
    if step.slug != STEP:
        return None
    reference = str(data.get("contract") or "")
    if not any(contract.reference == reference for contract in standing(person).late):
        return {"contract": _("Choose one of your late contracts that has no open complaint.")}
    return None


# -- the workflow --------------------------------------------------------------------------


def transitioned(application: sdk.ApplicationView, source: str, target: str, actor: str) -> dict[str, Any] | None:
    """Record which contract and office the complaint is about, and when it was resolved."""
    if target == "submitted" and source == "draft":
        reference = complaint_contract(application)
        if not reference:
            return None
        recorded: dict[str, Any] = {"contract_reference": reference}
        person = sdk.current_person()
        if person is not None and person.subject == application.person_subject:
            contract = next((c for c in contracts_of(person) if c.reference == reference), None)
            if contract is not None:
                start = contract.contract_date
                recorded.update(
                    office_licence=contract.office_licence,
                    office_name_ar=contract.office_name("ar"),
                    office_name_en=contract.office_name("en"),
                    contract_date=start.isoformat() if start is not None else "",
                    days_waited=(today() - start).days if start is not None else None,
                )
        return recorded
    if target == RESOLVED:
        return {"resolved_on": today().isoformat()}
    return None


TRANSITIONS: tuple[sdk.Transition, ...] = (
    *(move for move in sdk.COMMON_TRANSITIONS if move.target not in ("approved", "rejected")),
    sdk.Transition("in_review", RESOLVED, "staff", _l("Resolve the complaint"), needs_comment=True),
    sdk.Transition("in_review", "rejected", "staff", _l("Reject the complaint"), needs_comment=True),
)
"""The common lifecycle, except that staff resolve a complaint (saying how) instead of approving it."""

SERVICES: tuple[sdk.Service, ...] = (
    sdk.Service(
        slug=SERVICE,
        name=_l("Complaint about a worker who has not arrived"),
        summary=_l("File a complaint when the worker has not arrived long after the contract was signed."),
        steps=(sdk.FormStep(STEP, _l("Your complaint"), ComplaintStep),),
        states=(sdk.WorkflowState(RESOLVED, _l("Resolved"), terminal=True),),
        transitions=TRANSITIONS,
        reference_prefix=REFERENCE_PREFIX,
    ),
)

HOOKS: dict[str, sdk.ServiceHooks] = {
    SERVICE: sdk.ServiceHooks(eligibility=eligibility, validate_step=validate_step, transitioned=transitioned)
}
