"""The public page of a program's rules and amounts: every parameter with its history, dates and sources.

``/programs/<slug>/rules`` needs no sign-in: the figures a calculation uses
are public, and a citizen (or anyone checking the portal's arithmetic) can
read each one, the day it took effect and where it was published, in Arabic
or English. The host links it from the program page when the program
declares parameters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template
from flask.typing import ResponseReturnValue

from bawaba_sdk.formatting import format_date
from bawaba_sdk.parameters import DatedValue, Parameter
from bawaba_sdk.program import Program

from .display import label_text, source_text, value_text

rules_blueprint = Blueprint("rules", __name__, url_prefix="/programs")


@dataclass(frozen=True)
class ValueRow:
    """One dated value as the page shows it."""

    effective_from: datetime.date
    from_text: str
    value: str
    source: str
    url: str
    overridden: bool
    in_force: bool
    announced: bool
    """Published but not in force yet (its day is still to come)."""


@dataclass(frozen=True)
class ParameterView:
    key: str
    label: str
    help: str
    current: ValueRow | None
    history: list[ValueRow]


def _rows(program: Program, parameter: Parameter, today: datetime.date) -> list[ValueRow]:
    in_force = parameter.at(today)
    return [_row(program, value, value is in_force, value.effective_from > today) for value in parameter.values]


def _row(program: Program, value: DatedValue, in_force: bool, announced: bool) -> ValueRow:
    return ValueRow(
        effective_from=value.effective_from,
        from_text=format_date(value.effective_from),
        value=value_text(value),
        source=source_text(value, program.translations),
        url=value.url,
        overridden=bool(value.overridden_by),
        in_force=in_force,
        announced=announced,
    )


def parameter_views(program: Program, today: datetime.date) -> list[ParameterView]:
    """Every parameter of ``program`` as the rules page lists it, newest value first."""
    parameters = current_app.extensions["gateway"].parameters_for(program.slug)
    views = []
    for parameter in parameters.values():
        rows = _rows(program, parameter, today)
        current = next((row for row in rows if row.in_force), None)
        views.append(
            ParameterView(
                key=parameter.key,
                label=label_text(parameter.values[0], program.translations),
                help=program.translations.gettext(parameter.help) if parameter.help else "",
                current=current,
                history=list(reversed(rows)),
            )
        )
    return views


def serving_program(slug: str) -> Program:
    """The serving program called ``slug``; 404 for an unknown one, 503 for one that failed."""
    for record in current_app.extensions["gateway"].plugins.records.values():
        if record.program is not None and record.program.slug == slug:
            if not record.serving:
                abort(503)
            return record.program
    abort(404)


@rules_blueprint.get("/<slug>/rules")
def rules_page(slug: str) -> ResponseReturnValue:
    program = serving_program(slug)
    today = datetime.date.today()
    parameters = parameter_views(program, today)
    if not parameters:
        abort(404)
    return render_template(
        "parameters/rules.html", program=program, parameters=parameters, today_text=format_date(today)
    )
