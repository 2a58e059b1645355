"""Finding a serving program's declared calculations (``gateway_register_calculations``, read at boot)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app

from bawaba_sdk.calculations import Calculation
from bawaba_sdk.program import DeclarationError, Program


def checked_calculations(declared: Iterable[Any] | None) -> dict[str, Calculation]:
    """The declared calculations by name; raises :class:`DeclarationError` for anything else or a name twice."""
    found: dict[str, Calculation] = {}
    for item in declared or ():
        if not isinstance(item, Calculation):
            raise DeclarationError("gateway_register_calculations must return sdk.Calculation objects")
        if item.name in found:
            raise DeclarationError(f"calculation {item.name!r} is declared twice")
        found[item.name] = item
    return found


@dataclass(frozen=True)
class CalculationRef:
    program: Program
    calculation: Calculation


def find_calculation(program_slug: str, name: str) -> CalculationRef:
    """The serving program's calculation; 404 when either is unknown, 503 when the program failed."""
    for record in current_app.extensions["gateway"].plugins.records.values():
        if record.program is None or record.program.slug != program_slug:
            continue
        if not record.serving:
            abort(503)
        calculation = record.calculations.get(name)
        if calculation is None:
            abort(404)
        return CalculationRef(record.program, calculation)
    abort(404)


def serving_calculations() -> Mapping[str, tuple[Program, list[Calculation]]]:
    """Every serving program with calculations, by slug, in display order."""
    found: dict[str, tuple[Program, list[Calculation]]] = {}
    for record in current_app.extensions["gateway"].plugins.serving():
        if record.program is not None and record.calculations:
            found[record.program.slug] = (record.program, list(record.calculations.values()))
    return found
