"""Start-up of the enabled plugins: the register hooks, in order, one plugin at a time.

Order: program, settings, parameters, calculations, records, jobs, database, blueprint
(collected, not yet mounted), then ``gateway_startup``; only plugins that pass every step get
their pages mounted. Settings errors (and bad parameter overrides, which are
settings too) are the exception to isolation: a wrong value is an operator's
mistake that must be fixed before serving, so it stops the boot.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint

from bawaba_sdk.database import PluginDatabase
from bawaba_sdk.parameters import ParameterSet
from bawaba_sdk.program import DeclarationError, Program
from bawaba_sdk.settings import Setting, SettingError

from .calculations.registry import checked_calculations
from .hooks import HookFailed
from .jobs import checked_jobs
from .parameters.overrides import applied, read_overrides
from .plugin_manager import GatewayPluginManager, PluginRecord
from .records.registry import checked_records
from .settings import ConfigError, read_value


def boot_plugins(
    manager: GatewayPluginManager, overrides: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Blueprint]:
    """Run the register hooks and ``gateway_startup``; return each healthy plugin's blueprint."""
    environ = os.environ if environ is None else environ
    _register_programs(manager)
    problems = _read_settings(manager, overrides, environ)
    problems += _register_parameters(manager, overrides, environ)
    if problems:
        raise ConfigError("Invalid plugin configuration:\n  " + "\n  ".join(problems))
    _register_calculations(manager)
    _register_records(manager)
    _register_jobs(manager)
    _register_databases(manager)
    blueprints = _collect_blueprints(manager)
    for record in manager.serving():
        _guarded(manager, record, "gateway_startup", program=record.program, settings=record.settings)
    return {name: blueprint for name, blueprint in blueprints.items() if manager.records[name].serving}


def _guarded(manager: GatewayPluginManager, record: PluginRecord, hook_name: str, **kwargs: Any) -> Any:
    """The plugin's answer through the hooks facade; a plugin that raises is disabled (``None``)."""
    try:
        return manager.hooks.call(record.name, hook_name, **kwargs)
    except HookFailed as failed:
        exc = failed.error
        manager.fail(record.name, f"raised in {hook_name}: {type(exc).__name__}: {exc}", exc)
        return None


def _register_programs(manager: GatewayPluginManager) -> None:
    slugs: dict[str, str] = {}
    for record in manager.serving():
        program = _guarded(manager, record, "gateway_register_program")
        if not record.serving:
            continue
        if not isinstance(program, Program):
            manager.fail(
                record.name, f"gateway_register_program must return an sdk.Program, got {type(program).__name__}"
            )
            continue
        if program.slug in slugs:
            manager.fail(
                record.name, f"program slug {program.slug!r} is already taken by plugin {slugs[program.slug]!r}"
            )
            continue
        slugs[program.slug] = record.name
        record.program = program


def _read_settings(
    manager: GatewayPluginManager, overrides: Mapping[str, Any], environ: Mapping[str, str]
) -> list[str]:
    """Each plugin's parsed settings into its record; a line per bad value (raised once all are read)."""
    problems: list[str] = []
    for record in manager.serving():
        program = _program(record)
        declared = _guarded(manager, record, "gateway_register_settings", program=program)
        if not record.serving:
            continue
        values: dict[str, Any] = {}
        for setting in _as_settings(manager, record, declared):
            found, raw, source = read_value(setting.config_key(program.slug), overrides, environ)
            if not found:
                values[setting.name] = setting.default
                continue
            try:
                values[setting.name] = setting.parse(raw)
            except (SettingError, ValueError) as exc:
                shown = "(hidden)" if setting.secret else repr(raw)
                problems.append(f"{setting.env_var(program.slug)} ({source}={shown}): {exc}")
        record.settings = values
    return problems


def _register_parameters(
    manager: GatewayPluginManager, overrides: Mapping[str, Any], environ: Mapping[str, str]
) -> list[str]:
    """Each plugin's dated parameters with the operators' overrides into its record; a line per bad override."""
    problems: list[str] = []
    for record in manager.serving():
        program = _program(record)
        declared = _guarded(manager, record, "gateway_register_parameters", program=program)
        if declared is None or not record.serving:
            continue
        if not isinstance(declared, ParameterSet):
            manager.fail(record.name, "gateway_register_parameters must return an sdk.ParameterSet or None")
            continue
        clash = sorted({name for name, _parameter in declared.setting_names()} & set(record.settings))
        if clash:
            manager.fail(record.name, f"parameter settings clash with declared settings: {', '.join(clash)}")
            continue
        found, bad = read_overrides(program.slug, declared, overrides, environ)
        problems += bad
        if not bad:
            record.parameters = applied(program.slug, declared, found)
    return problems


def _as_settings(
    manager: GatewayPluginManager, record: PluginRecord, declared: Iterable[Setting] | None
) -> list[Setting]:
    settings = list(declared or [])
    bad = [item for item in settings if not isinstance(item, Setting)]
    if bad:
        manager.fail(record.name, "gateway_register_settings must return sdk.Setting objects")
        return []
    return settings


def _register_calculations(manager: GatewayPluginManager) -> None:
    for record in manager.serving():
        declared = _guarded(manager, record, "gateway_register_calculations", program=_program(record))
        if not record.serving:
            continue
        try:
            record.calculations = checked_calculations(declared)
        except DeclarationError as exc:
            manager.fail(record.name, str(exc))


def _register_records(manager: GatewayPluginManager) -> None:
    for record in manager.serving():
        declared = _guarded(manager, record, "gateway_register_records", program=_program(record))
        if not record.serving:
            continue
        try:
            record.standing_records = checked_records(declared)
        except DeclarationError as exc:
            manager.fail(record.name, str(exc))


def _register_jobs(manager: GatewayPluginManager) -> None:
    for record in manager.serving():
        declared = _guarded(manager, record, "gateway_register_jobs", program=_program(record))
        if not record.serving:
            continue
        try:
            record.jobs = checked_jobs(declared, record.settings)
        except DeclarationError as exc:
            manager.fail(record.name, str(exc))


def _register_databases(manager: GatewayPluginManager) -> None:
    for record in manager.serving():
        program = _program(record)
        database = _guarded(manager, record, "gateway_register_database", program=program)
        if database is None or not record.serving:
            continue
        try:
            _check_database(program, database)
        except DeclarationError as exc:
            manager.fail(record.name, str(exc))
            continue
        record.database = database


def _check_database(program: Program, database: Any) -> None:
    if not isinstance(database, PluginDatabase):
        raise DeclarationError("gateway_register_database must return an sdk.PluginDatabase or None")
    foreign = [name for name in database.metadata.tables if not name.startswith(f"{program.slug}_")]
    if foreign:
        raise DeclarationError(f"tables must be prefixed with '{program.slug}_': " + ", ".join(sorted(foreign)))
    if not database.migrations.is_dir():
        raise DeclarationError(f"migrations folder {database.migrations} does not exist")


def _collect_blueprints(manager: GatewayPluginManager) -> dict[str, Blueprint]:
    blueprints: dict[str, Blueprint] = {}
    for record in manager.serving():
        blueprint = _guarded(manager, record, "gateway_register_blueprint", program=_program(record))
        if blueprint is None or not record.serving:
            continue
        if not isinstance(blueprint, Blueprint):
            manager.fail(record.name, "gateway_register_blueprint must return an sdk.Blueprint or None")
            continue
        blueprints[record.name] = blueprint
    return blueprints


def _program(record: PluginRecord) -> Program:
    assert record.program is not None, "programs are registered before anything else"
    return record.program
