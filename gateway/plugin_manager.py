"""The typed wrapper around pluggy that loads, checks and isolates plugins.

It lives on the app (``app.extensions["gateway"].plugins``), never in a module
global, so every app a test builds has its own plugins. Discovery is by the
``gateway.plugins`` entry-point group; *installed is not enabled*: only the
names listed in ``GATEWAY_PLUGINS`` are loaded. A plugin that cannot be
imported, implements a hook that does not exist, needs another SDK (``plugin_versions``),
declares something invalid or raises at start-up is recorded as failed, unregistered and logged, and the
portal serves the others; ``GATEWAY_PLUGINS_STRICT`` turns that into a refusal
to start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import metadata
from typing import Any

import pluggy

from bawaba_sdk import hookspecs
from bawaba_sdk.calculations import Calculation
from bawaba_sdk.database import PluginDatabase
from bawaba_sdk.jobs import ScheduledJob
from bawaba_sdk.markers import ENTRY_POINT_GROUP, PROJECT_NAME
from bawaba_sdk.parameters import ParameterSet
from bawaba_sdk.program import Program
from bawaba_sdk.records import StandingRecord

from .hooks import PluginHooks
from .plugin_versions import attribute_problem, distribution_problem

logger = logging.getLogger("gateway.plugins")


class PluginLoadError(RuntimeError):
    """Raised in strict mode when an enabled plugin cannot be used."""


class PluginStatus(StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"
    FAILED = "failed"


@dataclass
class PluginRecord:
    """Everything the host knows about one installed or configured plugin."""

    name: str
    entry_point: str | None = None
    distribution: str | None = None
    version: str | None = None
    status: PluginStatus = PluginStatus.DISABLED
    reason: str = ""
    program: Program | None = None
    hooks: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    database: PluginDatabase | None = None
    parameters: ParameterSet | None = None
    """The program's dated parameters with the operators' overrides applied (``None``: it declares none)."""
    calculations: dict[str, Calculation] = field(default_factory=dict)
    """The calculations the program declared, by name (served under ``/api/v1/programs/<slug>/calculations/``)."""
    standing_records: dict[str, StandingRecord] = field(default_factory=dict)
    """The standing records the program keeps per owner, by name (pages under ``/records/<slug>/``)."""
    jobs: dict[str, tuple[ScheduledJob, str]] = field(default_factory=dict)
    """The program's scheduled jobs by name, each with the schedule it runs on (settings applied)."""
    module: Any = None

    @property
    def serving(self) -> bool:
        return self.status is PluginStatus.ENABLED


class GatewayPluginManager:
    """Loads the enabled plugins and calls their hooks one plugin at a time."""

    def __init__(self, enabled: Iterable[str], *, strict: bool = False) -> None:
        self.enabled_names: tuple[str, ...] = tuple(dict.fromkeys(enabled))
        self.strict = strict
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        self.hooks = PluginHooks(self)
        """Every hook call goes through this typed facade (``gateway/hooks.py``)."""

    # -- discovery and registration ---------------------------------------------------

    def load(self, entry_points: Iterable[metadata.EntryPoint] | None = None) -> None:
        """Discover entry points, import the enabled plugins and check their hooks."""
        discovered = self._discover(entry_points)
        for name, entry_point in discovered.items():
            record = self._record_from_entry_point(name, entry_point)
            self.records[name] = record
            if name not in self.enabled_names:
                record.reason = "installed but not enabled (add it to GATEWAY_PLUGINS)"
                continue
            self._import_and_register(record, entry_point)
        for name in self.enabled_names:
            if name not in self.records:
                self.records[name] = PluginRecord(name=name)
                self.fail(name, "enabled in GATEWAY_PLUGINS but no installed distribution provides it")
        self.pm.check_pending()

    def register_object(self, name: str, plugin: object) -> PluginRecord:
        """Register an already imported plugin object (used by the SDK's test kit)."""
        record = self.records.setdefault(name, PluginRecord(name=name, entry_point="(registered directly)"))
        self._register(record, plugin)
        return record

    def _discover(self, entry_points: Iterable[metadata.EntryPoint] | None) -> dict[str, metadata.EntryPoint]:
        found: dict[str, metadata.EntryPoint] = {}
        candidates = metadata.entry_points(group=ENTRY_POINT_GROUP) if entry_points is None else entry_points
        for entry_point in candidates:
            if entry_point.name in found and found[entry_point.name].value != entry_point.value:
                logger.warning(
                    "two distributions provide plugin %r (%s and %s); using the first",
                    entry_point.name,
                    found[entry_point.name].value,
                    entry_point.value,
                )
                continue
            found.setdefault(entry_point.name, entry_point)
        return found

    @staticmethod
    def _record_from_entry_point(name: str, entry_point: metadata.EntryPoint) -> PluginRecord:
        distribution = getattr(entry_point, "dist", None)
        return PluginRecord(
            name=name,
            entry_point=entry_point.value,
            distribution=distribution.name if distribution is not None else None,
            version=distribution.version if distribution is not None else None,
        )

    def _import_and_register(self, record: PluginRecord, entry_point: metadata.EntryPoint) -> None:
        incompatible = distribution_problem(entry_point)
        if incompatible:  # before importing: code made for another SDK never runs
            self.fail(record.name, incompatible)
            return
        try:
            plugin = entry_point.load()
        except Exception as exc:
            self.fail(record.name, f"failed to import {entry_point.value}: {type(exc).__name__}: {exc}", exc)
            return
        self._register(record, plugin)

    def _register(self, record: PluginRecord, plugin: object) -> None:
        incompatible = attribute_problem(plugin)
        if incompatible:
            self.fail(record.name, incompatible)
            return
        try:
            self.pm.register(plugin, name=record.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.fail(record.name, f"invalid hook implementation: {exc}", exc)
            return
        unknown = self._unknown_hooks(plugin)
        if unknown:
            self.pm.unregister(plugin)
            self.fail(record.name, "implements hooks that do not exist (misspelt?): " + ", ".join(unknown))
            return
        record.module = plugin
        record.status = PluginStatus.ENABLED
        record.reason = ""
        record.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])

    def _unknown_hooks(self, plugin: object) -> list[str]:
        unknown = []
        for caller in self.pm.get_hookcallers(plugin) or []:
            if caller.has_spec():
                continue
            impls = [impl for impl in caller.get_hookimpls() if impl.plugin is plugin]
            if any(not impl.optionalhook for impl in impls):
                unknown.append(caller.name)
        return sorted(unknown)

    # -- failures -----------------------------------------------------------------------

    def fail(self, name: str, reason: str, exc: BaseException | None = None) -> None:
        """Disable ``name`` for the life of this app, or stop the boot in strict mode."""
        record = self.records.setdefault(name, PluginRecord(name=name))
        record.status = PluginStatus.FAILED
        record.reason = reason
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin)
        logger.error("plugin %s disabled: %s", name, reason, exc_info=exc)
        if self.strict:
            raise PluginLoadError(f"plugin {name!r} failed and GATEWAY_PLUGINS_STRICT is set: {reason}") from exc

    # -- calling hooks ------------------------------------------------------------------

    def serving(self) -> list[PluginRecord]:
        """Enabled, healthy plugins in the order GATEWAY_PLUGINS lists them."""
        order = {name: index for index, name in enumerate(self.enabled_names)}
        healthy = [record for record in self.records.values() if record.serving]
        return sorted(healthy, key=lambda record: order.get(record.name, len(order)))

    def call_plugin(self, name: str, hook_name: str, **kwargs: Any) -> Any:
        """Deprecated: call hooks through :attr:`hooks` (pluggy's caller, the one failure policy).

        Calls one plugin's implementation directly and lets its exception through.
        """
        plugin = self.pm.get_plugin(name)
        if plugin is None:
            return None
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin:
                return impl.function(*(kwargs[argname] for argname in impl.argnames))
        return None

    @property
    def hook(self) -> Any:
        """pluggy's hook relay over the serving plugins, for request-time hooks."""
        return self.pm.hook
