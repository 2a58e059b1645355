"""The unified profile (الملف الموحد): the household's standing record, in the seed's eight sections.

Declared as an ``sdk.StandingRecord`` (owner: the household, headed by the
signed-in person); the host serves its pages under
``/records/social_security/profile/``, saves each section as the person goes
and keeps a version per confirmation. The shape of its data (section slug ->
answers; repeating rows under ``rows``; members named by ID number) is what
:func:`bawaba_social_security.household.situation_from_profile` reads and what
the sandbox households (``data/sandbox_households.json``) hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import GregorianDateField, NationalIdField, SarAmountField, Schema, field, fields, validate

from .i18n import _, _l, as_message
from .situation import (
    INCOME_KINDS,
    MAX_ASSET_VALUE,
    MAX_MONTHLY_INCOME,
    NATIONALITIES,
    PERIODS,
    QUALIFYING_LINKS,
    SAUDI,
    WEALTH_KINDS,
)

NAME = "profile"
HOUSING_KINDS = (
    ("owned", _l("Owned by the household")),
    ("rented", _l("Rented")),
    ("provided", _l("Provided free (by a relative, an employer or a charity)")),
    ("care_centre", _l("A state care centre")),
    ("other", _l("Other")),
)
MARITAL = (
    ("single", _l("Single")),
    ("married", _l("Married")),
    ("divorced", _l("Divorced")),
    ("widowed", _l("Widowed")),
)
DEPENDENT_RELATIONSHIPS = (
    ("spouse", _l("Spouse")),
    ("child", _l("Son or daughter")),
    ("parent", _l("Father or mother")),
    ("other", _l("Other relative")),
)
LEVELS = (
    ("none", _l("None yet")),
    ("primary", _l("Primary")),
    ("intermediate", _l("Intermediate")),
    ("secondary", _l("Secondary")),
    ("university", _l("University")),
)
WORK_STATUSES = (
    ("employed", _l("Employed")),
    ("self_employed", _l("Self-employed")),
    ("seeking_work", _l("Seeking work")),
    ("unemployed", _l("Not working")),
)
LICENCE_KINDS = (
    ("commercial_registration", _l("Commercial registration")),
    ("professional", _l("Professional licence")),
)


def _values(choices: Iterable[tuple[str, Any]]) -> list[str]:
    return [value for value, _label in choices]


def _choice(choices: tuple[tuple[str, Any], ...], label: Any, *, required: bool = True, **kwargs: Any) -> Any:
    return fields.String(
        required=required,
        load_default=None if not required else fields.missing_,
        allow_none=not required,
        validate=validate.OneOf(_values(choices), error=as_message(_l("Choose one of the options listed."))),
        metadata=field(label=label, choices=choices, **kwargs),
    )


def _months() -> Any:
    return fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=12, error=as_message(_l("Enter a whole number of months from 0 to 12."))),
        metadata=field(label=_l("Months spent abroad in the last 12")),
    )


class PersonalSchema(Schema):
    """The head of household: the shared identity (read only) and what only they can declare."""

    id_number = fields.String(metadata=field(label=_l("ID number"), prefill="id_number"))
    birth_date = GregorianDateField(metadata=field(label=_l("Date of birth"), prefill="birth_date"))
    nationality = _choice(NATIONALITIES, _l("Nationality"))
    qualifies_through = _choice(QUALIFYING_LINKS, _l("Link to a Saudi family"), required=False)
    marital_status = _choice(MARITAL, _l("Marital status"))
    months_abroad = _months()
    able_to_work = fields.Boolean(load_default=False, metadata=field(label=_l("I am able to work")))
    unable_reason = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata=field(label=_l("If you cannot work, why")),
    )


class HousingSchema(Schema):
    kind = _choice(HOUSING_KINDS, _l("Your home is"), widget="radio")
    rent = SarAmountField(load_default=None, allow_none=True, maximum=1000000, metadata=field(label=_l("Monthly rent")))


class IncomeRow(Schema):
    member = NationalIdField(required=True, metadata=field(label=_l("ID number of the member who receives it")))
    kind = _choice(INCOME_KINDS, _l("Kind of income"))
    amount = SarAmountField(required=True, maximum=MAX_MONTHLY_INCOME * 12, metadata=field(label=_l("Amount")))
    period = _choice(PERIODS, _l("Per"))


class IncomeSchema(Schema):
    rows = fields.List(fields.Nested(IncomeRow), load_default=list, metadata=field(label=_l("Incomes")))


class EducationRow(Schema):
    id_number = NationalIdField(required=True, metadata=field(label=_l("ID number")))
    level = _choice(LEVELS, _l("Level of education"))
    enrolled = fields.Boolean(load_default=False, metadata=field(label=_l("Studying now")))


class EducationSchema(Schema):
    rows = fields.List(fields.Nested(EducationRow), load_default=list, metadata=field(label=_l("Education")))


class EmploymentRow(Schema):
    id_number = NationalIdField(required=True, metadata=field(label=_l("ID number")))
    status = _choice(WORK_STATUSES, _l("Work"))
    employer = fields.String(load_default="", validate=validate.Length(max=200), metadata=field(label=_l("Employer")))
    registered_for_work = fields.Boolean(
        load_default=False, metadata=field(label=_l("Registered on the national jobs platform"))
    )
    refused_offers = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=100, error=as_message(_l("Enter a whole number from 0 to 100."))),
        metadata=field(label=_l("Suitable job or training offers refused")),
    )


class EmploymentSchema(Schema):
    rows = fields.List(
        fields.Nested(EmploymentRow), load_default=list, metadata=field(label=_l("Members able to work"))
    )


class LicenceRow(Schema):
    kind = _choice(LICENCE_KINDS, _l("Kind of licence"))
    number = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata=field(label=_l("Number")))
    holder = NationalIdField(required=True, metadata=field(label=_l("ID number of the holder")))


class LicencesSchema(Schema):
    rows = fields.List(fields.Nested(LicenceRow), load_default=list, metadata=field(label=_l("Licences")))


class PropertyRow(Schema):
    kind = _choice(WEALTH_KINDS, _l("Kind of property"))
    value = SarAmountField(required=True, maximum=MAX_ASSET_VALUE, metadata=field(label=_l("Value")))
    main_home = fields.Boolean(load_default=False, metadata=field(label=_l("The household's main home")))
    description = fields.String(
        load_default="", validate=validate.Length(max=200), metadata=field(label=_l("Description"))
    )


class PropertySchema(Schema):
    rows = fields.List(fields.Nested(PropertyRow), load_default=list, metadata=field(label=_l("Property")))


class DependentRow(Schema):
    id_number = NationalIdField(required=True, metadata=field(label=_l("ID number")))
    relationship = _choice(DEPENDENT_RELATIONSHIPS, _l("Relationship"))
    birth_date = GregorianDateField(required=True, metadata=field(label=_l("Date of birth")))
    nationality = _choice(NATIONALITIES, _l("Nationality"))
    qualifies_through = _choice(QUALIFYING_LINKS, _l("Link to a Saudi family"), required=False)
    lives_elsewhere = fields.Boolean(
        load_default=False, metadata=field(label=_l("Lives in another dwelling (another household)"))
    )
    disability = fields.Boolean(load_default=False, metadata=field(label=_l("Has a disability")))
    months_abroad = _months()
    able_to_work = fields.Boolean(load_default=False, metadata=field(label=_l("Able to work")))


class DependentsSchema(Schema):
    rows = fields.List(fields.Nested(DependentRow), load_default=list, metadata=field(label=_l("Dependents")))


def _rows(record_data: Mapping[str, Any], section: str) -> list[Mapping[str, Any]]:
    return list((record_data.get(section) or {}).get("rows") or ())


def member_ids(record_data: Mapping[str, Any]) -> list[str]:
    """The dependents' ID numbers: the host keeps nobody in two households."""
    return [row["id_number"] for row in _rows(record_data, "dependents")]


def _day(value: Any) -> date:
    """A date as the section holds it: loaded, or as ISO text once saved."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def check_section(
    section: str, data: Mapping[str, Any], record_data: Mapping[str, Any], person: sdk.PersonView
) -> dict[str, str]:
    """Checks across fields and sections: rent when renting, dependents not the head, rows naming members."""
    problems: dict[str, str] = {}
    if section == "housing" and data.get("kind") == "rented" and not data.get("rent"):
        problems["rent"] = _("Enter the monthly rent of a rented home.")
    if section == "personal" and person.nationality == "SA" and data.get("nationality") != SAUDI:
        problems["nationality"] = _("The registry says you are Saudi.")
    if section == "dependents":
        seen: set[str] = set()
        for index, row in enumerate(data.get("rows") or ()):
            if row["id_number"] == person.id_number:
                problems[f"rows-{index}-id_number"] = _("You are the head of household: list the others.")
            elif row["id_number"] in seen:
                problems[f"rows-{index}-id_number"] = _("This person is already listed.")
            elif not sdk.registry_confirms(row["id_number"], _day(row["birth_date"])):
                problems[f"rows-{index}-id_number"] = _(
                    "The national registry has no one with this ID number and date of birth. Check both."
                )
            seen.add(row["id_number"])
    if section in ("income", "education", "employment") and "dependents" in record_data:
        household = {row["id_number"] for row in _rows(record_data, "dependents")} | {person.id_number}
        key = "member" if section == "income" else "id_number"
        for index, row in enumerate(data.get("rows") or ()):
            if row[key] not in household:
                problems[f"rows-{index}-{key}"] = _(
                    "List this person in the dependents section first, or give your own ID number."
                )
    return problems


PROFILE = sdk.StandingRecord(
    name=NAME,
    title=_l("Unified profile"),
    summary=_l("Your household as the programme assesses it: fill in the eight sections, then confirm them."),
    owner="household",
    sections=(
        sdk.FormStep("personal", _l("Personal details"), PersonalSchema),
        sdk.FormStep("housing", _l("Housing"), HousingSchema),
        sdk.FormStep("income", _l("Income"), IncomeSchema),
        sdk.FormStep("education", _l("Education"), EducationSchema),
        sdk.FormStep("employment", _l("Employment"), EmploymentSchema),
        sdk.FormStep("licences", _l("Licences"), LicencesSchema),
        sdk.FormStep("property", _l("Property"), PropertySchema),
        sdk.FormStep("dependents", _l("Dependents"), DependentsSchema),
    ),
    validate=check_section,
    members=member_ids,
)
"""The unified profile in the seed's order; rows naming members are checked against the dependents once
that section is saved, and all again on confirmation."""
