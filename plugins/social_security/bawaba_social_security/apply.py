"""Applying for support: from the household's confirmed unified profile, through review and a home visit.

The application holds little of its own: the applicant declares that the
confirmed profile is true, and uploads the documents the household's
situation needs (a rent contract for a rented home, a disability report when
a member has a disability). On submission the id of the confirmed profile
version is frozen into the application (``extra``), with the amount it gives,
so a later change of the profile never changes what was applied for. The
reviewer sees, on the application, whether the profile changed since and
whether the registry's wage record disagrees with the declared income.

States: submitted -> in review -> home visit scheduled -> home visit done ->
approved or rejected, and needs information (from review or after the visit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import validate as mv

import bawaba_sdk as sdk
from bawaba_sdk.forms import Schema, field, fields

from .entitlement import entitlement
from .household import situation_from_profile
from .i18n import _, _l, as_message
from .profile import NAME as PROFILE
from .situation import SLUG, load_situation

SERVICE = "apply"
HOME_VISIT_SCHEDULED = "home_visit_scheduled"
HOME_VISIT_DONE = "home_visit_done"
FIELD_OFFICER = "field_officer"
"""The staff role that visits homes and records the findings (declared in ``Program.staff_roles``)."""
DECIDERS = ("reviewer", "supervisor")
"""The roles that schedule visits and decide: a field officer does not decide on what they saw."""
FROZEN = "profile_version_id"
OWNER = "profile_owner"
"""Internal keys of ``extra``: the frozen version's id and its owner's person id (not shown)."""


class DeclarationSchema(Schema):
    accurate = fields.Boolean(
        required=True,
        validate=mv.Equal(True, error=as_message(_l("Tick the box to apply with your confirmed profile."))),
        metadata=field(
            label=_l("Your unified profile"),
            help=_l("I apply with my confirmed unified profile, and what it says is true and complete."),
        ),
    )


class DocumentsSchema(Schema):
    rent_contract = fields.String(
        load_default=None,
        allow_none=True,
        metadata=field(
            label=_l("Rent contract"),
            widget="file",
            help=_l("Needed when the household rents its home. A PDF, JPEG or PNG file of at most 10 MB."),
        ),
    )
    disability_report = fields.String(
        load_default=None,
        allow_none=True,
        metadata=field(
            label=_l("Medical report of the disability"),
            widget="file",
            help=_l("Needed when a member has a disability. A PDF, JPEG or PNG file of at most 10 MB."),
        ),
    )


APPLY = sdk.Service(
    slug=SERVICE,
    name=_l("Apply for support"),
    summary=_l(
        "Apply with your confirmed unified profile. Your application is reviewed, a field officer visits your "
        "home, and you are told the decision."
    ),
    steps=(
        sdk.FormStep("declaration", _l("Your profile"), DeclarationSchema),
        sdk.FormStep("documents", _l("Documents"), DocumentsSchema),
    ),
    reference_prefix="DSS",
    states=(
        sdk.WorkflowState(HOME_VISIT_SCHEDULED, _l("Home visit scheduled")),
        sdk.WorkflowState(HOME_VISIT_DONE, _l("Home visit done")),
    ),
    transitions=(
        sdk.Transition("submitted", "in_review", "staff", _l("Start the review")),
        sdk.Transition("in_review", "needs_information", "staff", _l("Ask for more information")),
        sdk.Transition("needs_information", "in_review", "citizen", _l("Send the information")),
        sdk.Transition(
            "in_review",
            HOME_VISIT_SCHEDULED,
            "staff",
            _l("Schedule the home visit"),
            needs_comment=True,
            roles=DECIDERS,
        ),
        sdk.Transition(
            HOME_VISIT_SCHEDULED,
            HOME_VISIT_DONE,
            "staff",
            _l("Record the home visit's findings"),
            needs_comment=True,
            roles=(FIELD_OFFICER,),
        ),
        sdk.Transition(HOME_VISIT_DONE, "needs_information", "staff", _l("Ask for more information"), roles=DECIDERS),
        sdk.Transition(HOME_VISIT_DONE, "approved", "staff", _l("Approve"), roles=DECIDERS),
        sdk.Transition(HOME_VISIT_DONE, "rejected", "staff", _l("Reject"), needs_comment=True, roles=DECIDERS),
        sdk.Transition("in_review", "rejected", "staff", _l("Reject"), needs_comment=True, roles=DECIDERS),
        sdk.Transition("submitted", "withdrawn", "citizen", _l("Withdraw")),
        sdk.Transition("in_review", "withdrawn", "citizen", _l("Withdraw")),
        sdk.Transition("needs_information", "withdrawn", "citizen", _l("Withdraw")),
    ),
    extra_labels=(
        ("profile_version", _l("Unified profile version applied with")),
        ("amount_on_applying", _l("Monthly amount on applying (SAR)")),
        ("profile_changed", _l("Newer profile version confirmed after applying (this application keeps its own)")),
        ("registry_income", _l("Registry wage record differs from the declared salary (SAR a month)")),
    ),
)


def _needs(data: Mapping[str, Any]) -> tuple[bool, bool]:
    """Whether the profile needs a rent contract and a disability report."""
    rented = (data.get("housing") or {}).get("kind") == "rented"
    disability = any(row.get("disability") for row in (data.get("dependents") or {}).get("rows") or ())
    return rented, disability


def eligibility_checks(person: sdk.PersonView) -> Sequence[sdk.EligibilityCheck]:
    """Applying needs a confirmed profile (the household's eligibility is decided by staff, not here)."""
    version = sdk.confirmed_version(SLUG, PROFILE)
    return [
        sdk.EligibilityCheck(
            _l("Your unified profile is confirmed"),
            version is not None,
            "" if version is not None else _l("Fill in your unified profile's eight sections and confirm them first."),
        )
    ]


def validate_documents(step: sdk.FormStep, data: Mapping[str, Any]) -> dict[str, str] | None:
    """The documents the confirmed profile's situation needs."""
    if step.slug != "documents":
        return None
    version = sdk.confirmed_version(SLUG, PROFILE)
    rented, disability = _needs(version.data if version is not None else {})
    problems: dict[str, str] = {}
    if rented and not data.get("rent_contract"):
        problems["rent_contract"] = _("Your profile says you rent your home: upload the rent contract.")
    if disability and not data.get("disability_report"):
        problems["disability_report"] = _("A member of your household has a disability: upload the medical report.")
    return problems or None


def amount_of(data: Mapping[str, Any], on: date) -> Decimal:
    """The monthly amount a profile version gives on ``on`` (zero when not eligible)."""
    return entitlement(load_situation(situation_from_profile(data, on)), sdk.plugin_parameters(SLUG)).amount


def _declared_monthly_income(data: Mapping[str, Any], head: str) -> Decimal:
    total = Decimal(0)
    for row in (data.get("income") or {}).get("rows") or ():
        if row.get("member") == head and row.get("kind") == "salary":
            amount = Decimal(str(row["amount"]))
            total += amount / 12 if row.get("period") == "year" else amount
    return sdk.to_halala(total)


def on_transition(application: sdk.ApplicationView, source: str, target: str) -> dict[str, Any] | None:
    """Freeze the profile on submission; on every later move, flag what the reviewer must look at."""
    if target == "submitted":
        person = sdk.current_person()
        if person is None:
            return None
        version = sdk.confirmed_version(SLUG, PROFILE)
        if version is None:
            raise sdk.DeclarationError("an application was submitted without a confirmed profile")
        extra: dict[str, Any] = {
            FROZEN: version.id,
            OWNER: person.id,
            "profile_version": version.number,
            "amount_on_applying": str(amount_of(version.data, date.today())),
        }
        standing = sdk.current_host().registry_standing(person.id_number)
        if standing is not None:
            declared = _declared_monthly_income(version.data, person.id_number)
            registry = standing.monthly_income or Decimal(0)
            if registry != declared:  # language-neutral figures: staff read them in either language
                extra["registry_income"] = f"{registry} ≠ {declared}"
        return extra
    owner = application.extra.get(OWNER)
    frozen = application.extra.get(FROZEN)
    if owner is None or frozen is None:
        return None
    latest = sdk.confirmed_version(SLUG, PROFILE, owner_id=int(owner))
    if latest is not None and latest.id != frozen:
        return {"profile_changed": latest.number}
    return None
