"""A household's situation, as the entitlement calculation takes it (the API's request body).

The same shape serves three callers: the public estimate page and the JSON
API (a what-if household typed by anyone, holding no personal data), and
the assessments of a confirmed profile (``household.situation_from_profile``).
So it carries only what the rules need: each member's relationship, birth
date, nationality and the facts the rules test, the incomes with their
member and period, the wealth, and whether the household lives in a state
care centre. Everything is checked here, before any rule runs: a bad
situation is refused with a message per field (the API answers 422), never
half-computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, validates_schema

import bawaba_sdk as sdk
from bawaba_sdk.forms import GregorianDateField, SarAmountField, Schema, field, fields, validate

from .i18n import _l, as_message
from .rules import PROGRAMME_START

SLUG = "social_security"
DEFAULT_MAX_MEMBERS = 20
"""Members a household may declare when the setting ``GATEWAY_SOCIAL_SECURITY_MAX_MEMBERS`` is not read."""

HEAD = "head"
RELATIONSHIPS = (
    (HEAD, _l("Head of household")),
    ("spouse", _l("Spouse")),
    ("child", _l("Son or daughter")),
    ("parent", _l("Father or mother")),
    ("other", _l("Other relative")),
)
SAUDI, NON_SAUDI, MOBILITY_CARD = "saudi", "non_saudi", "mobility_card"
NATIONALITIES = (
    (SAUDI, _l("Saudi")),
    (NON_SAUDI, _l("Not Saudi")),
    (MOBILITY_CARD, _l("Holder of a valid mobility card")),
)
SAUDI_HUSBAND, SAUDI_MOTHER = "saudi_husband_with_saudi_children", "saudi_mother"
QUALIFYING_LINKS = (
    (SAUDI_HUSBAND, _l("Wife, widow or divorcee of a Saudi, with Saudi children")),
    (SAUDI_MOTHER, _l("Child of a Saudi widow or divorcee and a father who is not Saudi")),
)
"""How a member who is not Saudi can still be supported, as the rules list it."""

EARNED_KINDS = frozenset({"salary", "commercial"})
INCOME_KINDS = (
    ("salary", _l("Salary")),
    ("commercial", _l("Commercial income")),
    ("pension", _l("Pension")),
    ("government_support", _l("Government support")),
    ("property_return", _l("Return on property")),
    ("other", _l("Other income")),
)
MONTH, YEAR = "month", "year"
PERIODS = ((MONTH, _l("a month")), (YEAR, _l("a year")))
REAL_ESTATE, VEHICLE, SECURITIES = "real_estate", "vehicle", "securities"
WEALTH_KINDS = ((REAL_ESTATE, _l("Real estate")), (VEHICLE, _l("Vehicle")), (SECURITIES, _l("Securities")))

MAX_MONTHLY_INCOME = Decimal("1000000")
"""An income above this a month is a typing mistake, not a household applying for support."""
MAX_ASSET_VALUE = Decimal("1000000000")


def _values(choices: tuple[tuple[str, Any], ...]) -> list[str]:
    return [value for value, _label in choices]


def max_members() -> int:
    """The most members a household may declare: the plugin's setting, inside a portal."""
    try:
        return int(sdk.plugin_settings(SLUG)["max_members"])
    except (RuntimeError, KeyError):  # outside an app (unit tests, the benchmark's generator)
        return DEFAULT_MAX_MEMBERS


class MemberSituation(Schema):
    """One member of the household; only ``relationship`` is required."""

    relationship = fields.String(
        required=True,
        validate=validate.OneOf(
            _values(RELATIONSHIPS), error=as_message(_l("Choose head, spouse, child, parent or other."))
        ),
        metadata=field(label=_l("Relationship"), choices=RELATIONSHIPS),
    )
    birth_date = GregorianDateField(load_default=None, metadata=field(label=_l("Date of birth")))
    nationality = fields.String(
        load_default=SAUDI,
        validate=validate.OneOf(
            _values(NATIONALITIES), error=as_message(_l("Choose saudi, non_saudi or mobility_card."))
        ),
        metadata=field(label=_l("Nationality"), choices=NATIONALITIES),
    )
    qualifies_through = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            _values(QUALIFYING_LINKS),
            error=as_message(_l("Choose saudi_husband_with_saudi_children or saudi_mother.")),
        ),
        metadata=field(label=_l("Link to a Saudi family"), choices=QUALIFYING_LINKS),
    )
    same_dwelling = fields.Boolean(load_default=True, metadata=field(label=_l("Lives in the same dwelling")))
    months_abroad = fields.Integer(
        load_default=0,
        strict=True,
        validate=validate.Range(min=0, max=12, error=as_message(_l("Enter a whole number of months from 0 to 12."))),
        metadata=field(label=_l("Months abroad in the last 12")),
    )
    able_to_work = fields.Boolean(load_default=False, metadata=field(label=_l("Able to work")))
    registered_for_work = fields.Boolean(
        load_default=False, metadata=field(label=_l("Registered on the national jobs platform"))
    )
    refused_offers = fields.Integer(
        load_default=0,
        strict=True,
        validate=validate.Range(min=0, max=100, error=as_message(_l("Enter a whole number from 0 to 100."))),
        metadata=field(label=_l("Suitable offers refused")),
    )


class IncomeSituation(Schema):
    """One income: its kind, amount and period, and which member receives it (0 is the first member)."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            _values(INCOME_KINDS), error=as_message(_l("Choose one of the kinds of income listed."))
        ),
        metadata=field(label=_l("Kind of income"), choices=INCOME_KINDS),
    )
    amount = SarAmountField(required=True, maximum=MAX_MONTHLY_INCOME * 12, metadata=field(label=_l("Amount")))
    period = fields.String(
        load_default=MONTH,
        validate=validate.OneOf(_values(PERIODS), error=as_message(_l("Choose month or year."))),
        metadata=field(label=_l("Per"), choices=PERIODS),
    )
    member = fields.Integer(
        load_default=0,
        strict=True,
        validate=validate.Range(min=0, error=as_message(_l("Give the member's position in the list, from 0."))),
        metadata=field(label=_l("Member")),
    )


class AssetSituation(Schema):
    """Something the household owns that may count as wealth."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            _values(WEALTH_KINDS), error=as_message(_l("Choose real_estate, vehicle or securities."))
        ),
        metadata=field(label=_l("Kind of property"), choices=WEALTH_KINDS),
    )
    value = SarAmountField(required=True, maximum=MAX_ASSET_VALUE, metadata=field(label=_l("Value")))
    main_home = fields.Boolean(load_default=False, metadata=field(label=_l("The household's main home")))


class Situation(Schema):
    """A household on a day: who is in it, what it earns and owns, and where it lives."""

    on = GregorianDateField(required=True, metadata=field(label=_l("Day of the assessment")))
    members = fields.List(
        fields.Nested(MemberSituation),
        required=True,
        validate=validate.Length(min=1, error=as_message(_l("List at least the head of household."))),
        metadata=field(label=_l("Members of the household")),
    )
    incomes = fields.List(
        fields.Nested(IncomeSituation),
        load_default=list,
        validate=validate.Length(max=100, error=as_message(_l("List at most 100 incomes."))),
        metadata=field(label=_l("Incomes")),
    )
    wealth = fields.List(
        fields.Nested(AssetSituation),
        load_default=list,
        validate=validate.Length(max=100, error=as_message(_l("List at most 100 properties."))),
        metadata=field(label=_l("Property")),
    )
    care_centre = fields.Boolean(
        load_default=False, metadata=field(label=_l("The household lives in a state care centre"))
    )

    @validates_schema
    def _household(self, data: Mapping[str, Any], **_kwargs: Any) -> None:
        """The checks across fields: the day, one head, the members' count and dates, incomes' members."""
        errors: dict[str, Any] = {}
        on: date = data["on"]
        if on < PROGRAMME_START:
            errors["on"] = [str(_l("The programme's rules start on 2021-07-01; choose that day or later."))]
        members = data["members"]
        limit = max_members()
        if len(members) > limit:
            errors.setdefault("members", []).append(
                str(_l("A household can have at most %(limit)s members.", limit=limit))
            )
        heads = sum(1 for member in members if member["relationship"] == HEAD)
        if heads != 1:
            errors.setdefault("members", []).append(str(_l("Exactly one member must be the head of household.")))
        member_errors: dict[int, dict[str, list[str]]] = {}
        today = date.today()
        for index, member in enumerate(members):
            born = member.get("birth_date")
            if born is not None and born > today:
                member_errors[index] = {"birth_date": [str(_l("A date of birth cannot be in the future."))]}
            elif born is not None and born > on:
                member_errors[index] = {
                    "birth_date": [str(_l("This member was not yet born on the day of the assessment."))]
                }
        if member_errors:
            errors["members_detail"] = member_errors
        income_errors: dict[int, dict[str, list[str]]] = {}
        for index, income in enumerate(data.get("incomes") or ()):
            problems: dict[str, list[str]] = {}
            if income["member"] >= len(members):
                problems["member"] = [
                    str(_l("There is no member %(number)s: members are counted from 0.", number=income["member"]))
                ]
            if income["period"] == MONTH and income["amount"] > MAX_MONTHLY_INCOME:
                problems["amount"] = [str(_l("A monthly income cannot be more than 1,000,000 SAR."))]
            if problems:
                income_errors[index] = problems
        if income_errors:
            errors["incomes"] = income_errors
        if errors:
            detail = errors.pop("members_detail", None)
            if detail:
                merged: dict[Any, Any] = dict(detail)
                if "members" in errors:
                    merged["_schema"] = errors["members"]
                errors["members"] = merged
            raise ValidationError(errors)


def load_situation(body: Mapping[str, Any]) -> dict[str, Any]:
    """The situation in ``body`` checked and loaded; raises ``ValidationError`` naming each bad field."""
    loaded: dict[str, Any] = Situation().load(body)
    return loaded
