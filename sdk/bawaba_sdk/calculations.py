"""Calculations that explain themselves: every figure a citizen is affected by, line by line.

A program declares a :class:`Calculation` (an entitlement, a pension, a
contribution): the marshmallow schema of the situation it takes, and a
function that works the figure out with an :class:`Explainer` over the dated
parameters in force. The explainer records each step as a :class:`Line` (what
was added or taken away, the parameter used, its value, the date it took effect
and its public source) and each rule as a :class:`Condition` (met or not, in
plain words), the way OpenFisca's tracer records a computation, but written
for the person who reads it rather than for a developer.

The result, an :class:`Explanation`, is plain data: it renders in either
language at any later time (labels are msgids of the plugin's domain, numbers
are kept as numbers and formatted when shown), serialises to JSON for the API
and for storage (:meth:`Explanation.to_storage` / :meth:`Explanation.from_storage`),
and is cheap enough to build for every household of a monthly cycle.

Amounts are ``Decimal`` riyals rounded to the halala, half up (:func:`to_halala`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .i18n import LocalText
from .parameters import DatedValue, ParameterSet, ParametersOn
from .program import check_slug

HALALA = Decimal("0.01")

OPERATIONS = frozenset({"add", "subtract", "multiply", "cap", "floor", "result", "note"})
"""How a line takes part in the sum: added, taken away, a product shown with its factors, a ceiling
or floor applied, the result, or a note that changes nothing."""


def to_halala(amount: Decimal | int) -> Decimal:
    """``amount`` rounded to the halala (0.01 SAR), half up, as published amounts are."""
    return Decimal(amount).quantize(HALALA, rounding=ROUND_HALF_UP)


Variable = str | int | Decimal | date
"""A value a label refers to (``%(count)s``); numbers and dates are formatted in the reader's language."""


@dataclass(frozen=True, slots=True)
class Line:
    """One step of a calculation, as the reader sees it.

    ``label`` is an English msgid of the program's gettext domain, which may
    name ``variables`` (``"%(count)s other members of the household"``).
    ``amount`` is what the line contributes (``None`` for a note). A line that
    used a parameter carries it, so the reader sees its value, date and source.
    """

    label: str
    amount: Decimal | None
    operation: str = "add"
    parameter: DatedValue | None = None
    quantity: Decimal | int | None = None
    """How many times the parameter counts (``5`` members × 660), shown as a product."""
    variables: Mapping[str, Variable] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Condition:
    """One rule of eligibility and whether it is met, in plain words.

    ``label`` states the rule ("The household's members live in Saudi
    Arabia"); ``detail`` gives the figures or, when unmet, why ("A member
    spent %(months)s months abroad in the last 12; at most %(limit)s are allowed").
    """

    key: str
    label: str
    met: bool
    detail: str = ""
    parameter: DatedValue | None = None
    variables: Mapping[str, Variable] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Explanation:
    """A figure and how it was reached: conditions, lines, and any per-period breakdown."""

    calculation: str
    on: date
    amount: Decimal
    eligible: bool
    lines: tuple[Line, ...]
    conditions: tuple[Condition, ...] = ()
    currency: str = "SAR"
    breakdown: tuple[Mapping[str, Any], ...] = ()
    """Extra rows a calculation needs to show (a month-by-month schedule), JSON-ready values."""

    @property
    def unmet(self) -> tuple[Condition, ...]:
        """The conditions not met (empty when eligible on the rules)."""
        return tuple(condition for condition in self.conditions if not condition.met)

    def to_storage(self) -> dict[str, Any]:
        """A JSON-ready form keeping msgids and raw values, to render later in either language."""
        return {
            "calculation": self.calculation,
            "on": self.on.isoformat(),
            "amount": str(self.amount),
            "eligible": self.eligible,
            "currency": self.currency,
            "lines": [_line_storage(line) for line in self.lines],
            "conditions": [_condition_storage(condition) for condition in self.conditions],
            "breakdown": [dict(row) for row in self.breakdown],
        }

    @classmethod
    def from_storage(cls, data: Mapping[str, Any]) -> Explanation:
        """The explanation :meth:`to_storage` wrote."""
        return cls(
            calculation=data["calculation"],
            on=date.fromisoformat(data["on"]),
            amount=Decimal(data["amount"]),
            eligible=bool(data["eligible"]),
            currency=data.get("currency", "SAR"),
            lines=tuple(_line_from(item) for item in data.get("lines", ())),
            conditions=tuple(_condition_from(item) for item in data.get("conditions", ())),
            breakdown=tuple(data.get("breakdown", ())),
        )


class Explainer:
    """Works a figure out step by step, recording what a reader needs to follow it.

    Example (the developed social security's entitlement)::

        def entitlement(situation, parameters):
            ex = sdk.Explainer("entitlement", situation["on"], parameters)
            head = ex.add(N_("Minimum for the head of household"), "minimum.head")
            others = ex.add(N_("Minimum for each other member"), "minimum.member", quantity=members - 1)
            ex.subtract(N_("Counted monthly income"), income)
            ex.floor(N_("Never below zero"), Decimal(0))
            ex.cap(N_("Highest monthly amount for a household"), "maximum.household")
            return ex.result(N_("Monthly amount"))

    The running total starts at zero; :meth:`add`, :meth:`subtract`,
    :meth:`cap` and :meth:`floor` move it; :meth:`condition` records a rule,
    and any unmet rule makes the result ineligible with an amount of zero.
    """

    __slots__ = ("_conditions", "_lines", "_parameters", "breakdown", "currency", "name", "on", "total")

    def __init__(self, name: str, on: date, parameters: ParameterSet | ParametersOn, currency: str = "SAR") -> None:
        self.name = name
        self.on = on
        self._parameters = parameters.at(on) if isinstance(parameters, ParameterSet) else parameters
        self.currency = currency
        self.total = Decimal(0)
        self._lines: list[Line] = []
        self._conditions: list[Condition] = []
        self.breakdown: list[Mapping[str, Any]] = []

    def parameter(self, key: str) -> DatedValue:
        """The value of ``key`` in force on the calculation's day."""
        return self._parameters[key]

    def add(
        self,
        label: str,
        amount_or_key: Decimal | int | str,
        *,
        quantity: Decimal | int | None = None,
        **variables: Variable,
    ) -> Decimal:
        """Add an amount (or a parameter's value, times ``quantity``) to the total; returns what was added."""
        amount, parameter = self._amount(amount_or_key, quantity)
        self.total += amount
        self._lines.append(Line(label, amount, "add", parameter, quantity, variables))
        return amount

    def subtract(
        self,
        label: str,
        amount_or_key: Decimal | int | str,
        *,
        quantity: Decimal | int | None = None,
        **variables: Variable,
    ) -> Decimal:
        """Take an amount (or a parameter's value, times ``quantity``) away from the total."""
        amount, parameter = self._amount(amount_or_key, quantity)
        self.total -= amount
        self._lines.append(Line(label, amount, "subtract", parameter, quantity, variables))
        return amount

    def multiply(
        self, label: str, base: Decimal | int, rate_key_or_value: str | Decimal, **variables: Variable
    ) -> Decimal:
        """A product shown with its factors (a wage × a rate); adds it to the total and returns it.

        A ``percent`` parameter counts as its fraction (9 % of 10,000 is 900).
        """
        parameter = None
        if isinstance(rate_key_or_value, str):
            parameter = self.parameter(rate_key_or_value)
            rate = parameter.rate if parameter.unit == "percent" else parameter.decimal
        else:
            rate = Decimal(rate_key_or_value)
        amount = to_halala(Decimal(base) * rate)
        self.total += amount
        self._lines.append(Line(label, amount, "multiply", parameter, Decimal(base), variables))
        return amount

    def cap(self, label: str, limit_or_key: Decimal | int | str, **variables: Variable) -> bool:
        """Limit the total to a ceiling; the line is recorded either way (saying whether it applied)."""
        limit, parameter = self._amount(limit_or_key, None)
        applied = self.total > limit
        if applied:
            self.total = limit
        self._lines.append(
            Line(label, limit, "cap", parameter, None, {**variables, "applied": "yes" if applied else "no"})
        )
        return applied

    def floor(self, label: str, limit_or_key: Decimal | int | str, **variables: Variable) -> bool:
        """Raise the total to a floor (a minimum pension, never below zero); recorded either way."""
        limit, parameter = self._amount(limit_or_key, None)
        applied = self.total < limit
        if applied:
            self.total = limit
        self._lines.append(
            Line(label, limit, "floor", parameter, None, {**variables, "applied": "yes" if applied else "no"})
        )
        return applied

    def note(self, label: str, parameter: str | None = None, **variables: Variable) -> None:
        """A line that explains without changing the total (a regime, a period counted)."""
        used = self.parameter(parameter) if parameter else None
        self._lines.append(Line(label, None, "note", used, None, variables))

    def condition(
        self,
        key: str,
        label: str,
        met: bool,
        detail: str = "",
        *,
        parameter: str | None = None,
        **variables: Variable,
    ) -> bool:
        """Record a rule and whether it is met; returns ``met`` so callers can branch on it."""
        used = self.parameter(parameter) if parameter else None
        self._conditions.append(Condition(key, label, bool(met), detail, used, variables))
        return bool(met)

    def result(self, label: str, **variables: Variable) -> Explanation:
        """The explanation: the total rounded to the halala, or zero when a condition is unmet."""
        eligible = all(condition.met for condition in self._conditions)
        amount = to_halala(self.total) if eligible else to_halala(0)
        self._lines.append(Line(label, amount, "result", None, None, variables))
        return Explanation(
            calculation=self.name,
            on=self.on,
            amount=amount,
            eligible=eligible,
            lines=tuple(self._lines),
            conditions=tuple(self._conditions),
            currency=self.currency,
            breakdown=tuple(self.breakdown),
        )

    def _amount(
        self, amount_or_key: Decimal | int | str, quantity: Decimal | int | None
    ) -> tuple[Decimal, DatedValue | None]:
        if isinstance(amount_or_key, str):
            parameter = self.parameter(amount_or_key)
            base = parameter.decimal
        else:
            parameter = None
            base = Decimal(amount_or_key)
        amount = base * quantity if quantity is not None else base
        return to_halala(amount), parameter


@dataclass(frozen=True)
class Calculation:
    """A calculation a program offers: its situation schema and the function that explains the figure.

    The host serves each one at ``POST /api/v1/programs/<slug>/calculations/<name>``
    (anonymous when ``public``, rate limited, in the OpenAPI document, 422
    naming each bad field of the situation) and the plugin's pages render the
    same :class:`Explanation` for citizens.
    """

    name: str
    title: LocalText
    summary: LocalText
    situation: type[Any]
    """A marshmallow ``Schema`` subclass; its loaded data is what ``compute`` receives."""
    compute: Callable[[Mapping[str, Any], ParameterSet], Explanation]
    """``compute(situation, parameters)``: the program's parameters (with operators' overrides)."""
    public: bool = True
    """Served to anonymous callers (it must then hold no personal data)."""
    example: Mapping[str, Any] | None = None
    """A situation shown in the OpenAPI document."""
    answer: Callable[[Explanation], Mapping[str, Any]] | None = None
    """Keys the API answer carries beyond the common ones (JSON-ready values): GOSI's SANED adds
    ``months`` and ``total`` from the explanation's breakdown. A key the host already sends wins."""

    def __post_init__(self) -> None:
        check_slug(self.name, "calculation")

    def load(self, raw: Mapping[str, Any], schema: Any = None) -> dict[str, Any]:
        """The situation as the schema loads it (``schema``: an instance to use instead of a new one).

        Raises ``marshmallow.ValidationError`` naming every bad field.
        """
        loaded: dict[str, Any] = (schema if schema is not None else self.situation()).load(dict(raw))
        return loaded

    def explain(self, raw: Mapping[str, Any], parameters: ParameterSet) -> Explanation:
        """Load ``raw`` (a situation as JSON would carry it) and work the figure out with ``parameters``."""
        return self.compute(self.load(raw), parameters)


# -- storage ---------------------------------------------------------------------------------


def _variable_storage(value: Variable) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _variable_from(value: Any) -> Variable:
    if isinstance(value, Mapping):
        if "decimal" in value:
            return Decimal(value["decimal"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


def _parameter_storage(parameter: DatedValue | None) -> dict[str, Any] | None:
    if parameter is None:
        return None
    return {**parameter.as_dict(), "label": parameter.label, "overridden_by": parameter.overridden_by}


def _parameter_from(data: Mapping[str, Any] | None) -> DatedValue | None:
    if data is None:
        return None
    unit = data["unit"]
    raw = data["value"]
    value: Decimal | int | bool
    if unit == "flag":
        value = raw == "true"
    elif unit in {"months", "years", "days", "count", "people"}:
        value = int(raw)
    else:
        value = Decimal(raw)
    return DatedValue(
        key=data["parameter"],
        label=data.get("label", ""),
        unit=unit,
        value=value,
        effective_from=date.fromisoformat(data["effective_from"]),
        source=data.get("source", ""),
        url=data.get("url", ""),
        overridden_by=data.get("overridden_by", ""),
    )


def _line_storage(line: Line) -> dict[str, Any]:
    return {
        "label": line.label,
        "amount": None if line.amount is None else str(line.amount),
        "operation": line.operation,
        "parameter": _parameter_storage(line.parameter),
        "quantity": None if line.quantity is None else str(line.quantity),
        "variables": {name: _variable_storage(value) for name, value in line.variables.items()},
    }


def _line_from(data: Mapping[str, Any]) -> Line:
    quantity = data.get("quantity")
    return Line(
        label=data["label"],
        amount=None if data.get("amount") is None else Decimal(data["amount"]),
        operation=data.get("operation", "add"),
        parameter=_parameter_from(data.get("parameter")),
        quantity=None if quantity is None else Decimal(quantity),
        variables={name: _variable_from(value) for name, value in (data.get("variables") or {}).items()},
    )


def _condition_storage(condition: Condition) -> dict[str, Any]:
    return {
        "key": condition.key,
        "label": condition.label,
        "met": condition.met,
        "detail": condition.detail,
        "parameter": _parameter_storage(condition.parameter),
        "variables": {name: _variable_storage(value) for name, value in condition.variables.items()},
    }


def _condition_from(data: Mapping[str, Any]) -> Condition:
    return Condition(
        key=data["key"],
        label=data["label"],
        met=bool(data["met"]),
        detail=data.get("detail", ""),
        parameter=_parameter_from(data.get("parameter")),
        variables={name: _variable_from(value) for name, value in (data.get("variables") or {}).items()},
    )
