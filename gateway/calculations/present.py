"""An :class:`sdk.Explanation` as a reader sees it: labels in their language, every figure formatted.

One presenter for the API's answer and for the citizen's page (the
``explanation`` macro), so both say the same thing: each line with what it
adds or takes away, the parameter it used (its value, the day it took
effect, its public source), and each condition met or not with its detail.
Labels and details are msgids of the program's gettext domain, filled with
the line's variables formatted in the reader's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask_babel import gettext as _

from bawaba_sdk.calculations import Condition, Explanation, Line
from bawaba_sdk.formatting import format_amount, format_date
from bawaba_sdk.i18n import TranslationDomain, current_language, in_language
from bawaba_sdk.parameters import DatedValue

from ..parameters.display import label_text, source_text, value_text

MOVES_THE_TOTAL = frozenset({"add", "subtract", "multiply"})


def number_text(value: Decimal | int, language: str) -> str:
    """A number with the decimal places it has (``1500.00`` stays ``1,500.00``, ``5`` stays ``5``)."""
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:  # type: ignore[operator]
        places = -int(value.as_tuple().exponent)
        return format_decimal(value, format="#,##0." + "0" * places, locale=language)
    return format_decimal(Decimal(value), format="#,##0", locale=language)


def variable_text(value: Any, language: str) -> str:
    """A label's variable in the reader's language: numbers and dates formatted, text as it is."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | int):
        return number_text(value, language)
    if isinstance(value, datetime.date):
        return format_date(value, language=language)
    return str(value)


def _filled(msgid: str, variables: Mapping[str, Any], translations: TranslationDomain, language: str) -> str:
    if not msgid:
        return ""
    shown = {name: variable_text(value, language) for name, value in variables.items()}
    return translations.gettext(msgid, **shown) if shown else translations.gettext(msgid)


@dataclass(frozen=True)
class ParameterShown:
    """The parameter a line or condition used, as the reader sees it."""

    key: str
    label: str
    value: str
    """The value as data (``"1320"``, ``"9"``, ``"true"``)."""
    value_text: str
    unit: str
    effective_from: datetime.date
    effective_from_text: str
    source: str
    url: str
    overridden: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "parameter": self.key,
            "parameter_label": self.label,
            "value": self.value,
            "value_text": self.value_text,
            "unit": self.unit,
            "effective_from": self.effective_from.isoformat(),
            "effective_from_text": self.effective_from_text,
            "source": self.source,
            "url": self.url or None,
            "set_by_operator": self.overridden,
        }


def parameter_shown(value: DatedValue, translations: TranslationDomain, language: str) -> ParameterShown:
    return ParameterShown(
        key=value.key,
        label=label_text(value, translations, language),
        value=value.as_dict()["value"],
        value_text=value_text(value, language),
        unit=value.unit,
        effective_from=value.effective_from,
        effective_from_text=format_date(value.effective_from, language=language),
        source=source_text(value, translations, language),
        url=value.url,
        overridden=bool(value.overridden_by),
    )


NO_PARAMETER: dict[str, Any] = {
    "parameter": None,
    "parameter_label": None,
    "value": None,
    "value_text": None,
    "unit": None,
    "effective_from": None,
    "effective_from_text": None,
    "source": None,
    "url": None,
    "set_by_operator": None,
}


@dataclass(frozen=True)
class LineShown:
    label: str
    operation: str
    amount: Decimal | None
    amount_text: str | None
    quantity: Decimal | int | None
    quantity_text: str | None
    applied: bool | None
    """For a cap or a floor: whether it changed the total."""
    parameter: ParameterShown | None

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "operation": self.operation,
            "amount": None if self.amount is None else str(self.amount),
            "amount_text": self.amount_text,
            "quantity": None if self.quantity is None else str(self.quantity),
            "quantity_text": self.quantity_text,
            "applied": self.applied,
            **(self.parameter.as_json() if self.parameter is not None else NO_PARAMETER),
        }


@dataclass(frozen=True)
class ConditionShown:
    key: str
    label: str
    met: bool
    detail: str
    parameter: ParameterShown | None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "met": self.met,
            "detail": self.detail,
            **(self.parameter.as_json() if self.parameter is not None else NO_PARAMETER),
        }


@dataclass(frozen=True)
class ExplanationShown:
    """Everything the API answers and the macro renders, in one language."""

    calculation: str
    on: datetime.date
    on_text: str
    eligible: bool
    amount: Decimal
    amount_text: str
    currency: str
    lines: list[LineShown]
    conditions: list[ConditionShown]
    breakdown: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def unmet(self) -> list[ConditionShown]:
        return [condition for condition in self.conditions if not condition.met]

    @property
    def result(self) -> LineShown | None:
        """The closing line (its label names the figure: "Monthly amount")."""
        return next((line for line in reversed(self.lines) if line.operation == "result"), None)

    @property
    def steps(self) -> list[LineShown]:
        """Every line but the result, in the order they were worked out."""
        return [line for line in self.lines if line.operation != "result"]

    def as_json(self) -> dict[str, Any]:
        return {
            "calculation": self.calculation,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "amount": str(self.amount),
            "amount_text": self.amount_text,
            "currency": self.currency,
            "lines": [line.as_json() for line in self.lines],
            "conditions": [condition.as_json() for condition in self.conditions],
            "unmet": [condition.as_json() for condition in self.unmet],
            "breakdown": [dict(row) for row in self.breakdown],
        }


def _line(line: Line, currency: str, translations: TranslationDomain, language: str) -> LineShown:
    applied = line.variables.get("applied")
    return LineShown(
        label=_filled(line.label, line.variables, translations, language),
        operation=line.operation,
        amount=line.amount,
        amount_text=None if line.amount is None else format_amount(line.amount, currency, language=language),
        quantity=line.quantity,
        quantity_text=None if line.quantity is None else number_text(line.quantity, language),
        applied=None if line.operation not in {"cap", "floor"} else applied == "yes",
        parameter=None if line.parameter is None else parameter_shown(line.parameter, translations, language),
    )


def _condition(condition: Condition, translations: TranslationDomain, language: str) -> ConditionShown:
    return ConditionShown(
        key=condition.key,
        label=_filled(condition.label, condition.variables, translations, language),
        met=condition.met,
        detail=_filled(condition.detail, condition.variables, translations, language),
        parameter=None if condition.parameter is None else parameter_shown(condition.parameter, translations, language),
    )


def present(explanation: Explanation, translations: TranslationDomain, language: str | None = None) -> ExplanationShown:
    """``explanation`` in ``language`` (default: the request's), with the program's ``translations``."""
    chosen = language or current_language()
    with in_language(chosen):
        return ExplanationShown(
            calculation=explanation.calculation,
            on=explanation.on,
            on_text=format_date(explanation.on, language=chosen),
            eligible=explanation.eligible,
            amount=explanation.amount,
            amount_text=format_amount(explanation.amount, explanation.currency, language=chosen),
            currency=explanation.currency,
            lines=[_line(line, explanation.currency, translations, chosen) for line in explanation.lines],
            conditions=[_condition(condition, translations, chosen) for condition in explanation.conditions],
            breakdown=list(explanation.breakdown),
        )
