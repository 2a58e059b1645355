"""The public estimate page's form: a what-if household typed by anyone, read into a situation.

The page is a plain GET form (it holds no personal data, so an estimate can be
bookmarked or shared) with as many member, income and property rows as the
visitor asks for with the "add" buttons; it works without JavaScript. This
module turns the submitted fields into the situation the entitlement takes
(the API's request body), skipping rows left blank, and turns the situation
schema's errors back into messages tied to the inputs (``m-1-birth_date``),
so every mistake is shown next to its field in the visitor's language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marshmallow import ValidationError

import bawaba_sdk as sdk

from .i18n import _, _l
from .situation import HEAD, MONTH, SAUDI, max_members

HOUSING = (
    ("owned", _l("Owned by the household")),
    ("rented", _l("Rented")),
    ("provided", _l("Provided free (by a relative, an employer or a charity)")),
    ("care_centre", _l("A state care centre")),
    ("other", _l("Other")),
)
"""How the household is housed; a state care centre rules it out (the other kinds do not change the amount)."""

MAX_ROWS = 30
"""The most income or property rows the page offers (the schema refuses more than 100 anyway)."""

MEMBER_FIELDS = ("relationship", "birth_date", "nationality", "qualifies_through", "months_abroad", "refused_offers")
MEMBER_FLAGS = ("elsewhere", "able_to_work", "registered_for_work")
INCOME_FIELDS = ("member", "kind", "amount", "period")
ASSET_FIELDS = ("kind", "value")


@dataclass
class EstimateForm:
    """What the visitor typed, row by row, and the errors by input id."""

    on: str
    housing: str
    members: list[dict[str, str]]
    incomes: list[dict[str, str]]
    wealth: list[dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    submitted: bool = False

    @property
    def member_count(self) -> int:
        return len(self.members)


def _count(args: Mapping[str, str], name: str, default: int, limit: int) -> int:
    try:
        value = int(sdk.normalize_digits(args.get(name, "")))
    except ValueError:
        return default
    return max(1 if name == "members" else 0, min(value, limit))


def read_form(args: Mapping[str, str], today: date) -> EstimateForm:
    """The form as typed (``args``: the query string); an "add" button adds one empty row of its kind."""
    limit = max_members()
    adding = args.get("add", "")
    members_n = _count(args, "members", 2, limit) + (adding == "member")
    incomes_n = _count(args, "incomes", 1, MAX_ROWS) + (adding == "income")
    wealth_n = _count(args, "wealth", 0, MAX_ROWS) + (adding == "property")
    members = []
    for index in range(min(members_n, limit)):
        row = {name: args.get(f"m-{index}-{name}", "").strip() for name in MEMBER_FIELDS}
        row.update({name: "y" if args.get(f"m-{index}-{name}") else "" for name in MEMBER_FLAGS})
        if not args.get("members"):  # the first visit: a head and a spouse to start from
            row["relationship"] = HEAD if index == 0 else "spouse"
        row["nationality"] = row["nationality"] or SAUDI
        members.append(row)
    incomes = [
        {name: args.get(f"i-{index}-{name}", "").strip() for name in INCOME_FIELDS}
        for index in range(min(incomes_n, MAX_ROWS))
    ]
    for row in incomes:
        row["period"] = row["period"] or MONTH
        row["member"] = row["member"] or "0"
    wealth = []
    for index in range(min(wealth_n, MAX_ROWS)):
        row = {name: args.get(f"w-{index}-{name}", "").strip() for name in ASSET_FIELDS}
        row["main_home"] = "y" if args.get(f"w-{index}-main_home") else ""
        wealth.append(row)
    return EstimateForm(
        on=args.get("on", "").strip() or today.isoformat(),
        housing=args.get("housing", "") if args.get("housing", "") in dict(HOUSING) else "owned",
        members=members,
        incomes=incomes,
        wealth=wealth,
        submitted="estimate" in args,
    )


def _whole_number(text: str, input_id: str, errors: dict[str, str]) -> int:
    """A count typed in the form (0 when blank); a non-number becomes an error on its input."""
    if not text:
        return 0
    try:
        return int(sdk.normalize_digits(text))
    except ValueError:
        errors[input_id] = _("Enter a whole number, for example 0 or 2.")
        return 0


def situation_body(form: EstimateForm) -> tuple[dict[str, Any], list[int], list[int], list[int]]:
    """The situation as the API takes it, and which form row each member, income and property came from.

    Member rows without a relationship, income rows without an amount and
    property rows without a value are left out; whole numbers that are not
    numbers are recorded in ``form.errors``.
    """
    members: list[dict[str, Any]] = []
    member_rows: list[int] = []
    for index, row in enumerate(form.members):
        if not row["relationship"]:
            continue
        member: dict[str, Any] = {
            "relationship": row["relationship"],
            "nationality": row["nationality"],
            "same_dwelling": not row["elsewhere"],
            "able_to_work": bool(row["able_to_work"]),
            "registered_for_work": bool(row["registered_for_work"]),
            "months_abroad": _whole_number(row["months_abroad"], f"m-{index}-months_abroad", form.errors),
            "refused_offers": _whole_number(row["refused_offers"], f"m-{index}-refused_offers", form.errors),
        }
        if row["birth_date"]:
            member["birth_date"] = row["birth_date"]
        if row["qualifies_through"]:
            member["qualifies_through"] = row["qualifies_through"]
        members.append(member)
        member_rows.append(index)
    incomes: list[dict[str, Any]] = []
    income_rows: list[int] = []
    for index, row in enumerate(form.incomes):
        if not row["amount"]:
            continue
        typed = _whole_number(row["member"], f"i-{index}-member", form.errors)
        position = member_rows.index(typed) if typed in member_rows else len(members) + typed
        incomes.append({"kind": row["kind"], "amount": row["amount"], "period": row["period"], "member": position})
        income_rows.append(index)
    wealth: list[dict[str, Any]] = []
    wealth_rows: list[int] = []
    for index, row in enumerate(form.wealth):
        if not row["value"]:
            continue
        wealth.append({"kind": row["kind"], "value": row["value"], "main_home": bool(row["main_home"])})
        wealth_rows.append(index)
    body = {
        "on": form.on,
        "members": members,
        "incomes": incomes,
        "wealth": wealth,
        "care_centre": form.housing == "care_centre",
    }
    return body, member_rows, income_rows, wealth_rows


def _messages(errors: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            yield from _messages(value, path if key == "_schema" else (*path, key))
    elif isinstance(errors, list | tuple):
        for item in errors:
            yield from _messages(item, path)
    else:
        yield path, str(errors)


def input_errors(
    error: ValidationError, member_rows: list[int], income_rows: list[int], wealth_rows: list[int]
) -> dict[str, str]:
    """The schema's errors by the id of the input (or group) they are about, first message each."""
    prefixes = {"members": ("m", member_rows), "incomes": ("i", income_rows), "wealth": ("w", wealth_rows)}
    found: dict[str, str] = {}
    for path, message in _messages(error.messages):
        if not path:
            input_id = "members"
        elif path[0] in prefixes and len(path) >= 3:
            letter, rows = prefixes[path[0]]
            position = int(path[1])
            row = rows[position] if position < len(rows) else position
            input_id = f"{letter}-{row}-{path[2]}"
        elif path[0] == "care_centre":
            input_id = "housing"
        else:
            input_id = str(path[0])
        found.setdefault(input_id, message)
    return found
