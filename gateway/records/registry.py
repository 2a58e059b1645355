"""Finding a serving program's declared standing records (``gateway_register_records``, read at boot)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app

from bawaba_sdk.program import DeclarationError, Program
from bawaba_sdk.records import StandingRecord


def checked_records(declared: Iterable[Any] | None) -> dict[str, StandingRecord]:
    """The declared records by name; raises :class:`DeclarationError` for anything else or a name twice."""
    found: dict[str, StandingRecord] = {}
    for item in declared or ():
        if not isinstance(item, StandingRecord):
            raise DeclarationError("gateway_register_records must return sdk.StandingRecord objects")
        if item.name in found:
            raise DeclarationError(f"standing record {item.name!r} is declared twice")
        found[item.name] = item
    return found


@dataclass(frozen=True)
class RecordRef:
    """A record with the program and plugin that declare it."""

    plugin: str
    program: Program
    record: StandingRecord


def find_record(program_slug: str, name: str) -> RecordRef | None:
    """The serving program's record, or ``None``."""
    for plugin in current_app.extensions["gateway"].plugins.serving():
        if plugin.program is not None and plugin.program.slug == program_slug:
            record = plugin.standing_records.get(name)
            return RecordRef(plugin.name, plugin.program, record) if record is not None else None
    return None


def record_or_404(program_slug: str, name: str) -> RecordRef:
    ref = find_record(program_slug, name)
    if ref is None:
        abort(404)
    return ref
