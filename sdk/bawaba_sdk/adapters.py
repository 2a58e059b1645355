"""A plugin's own outside systems: a protocol, named implementations, chosen by a setting.

The host swaps its registry and payment provider by configuration (a
``sandbox`` for development and tests, a real one in production) without a
change of code. A plugin that reads another organisation's system (GOSI's
contributor records, a licensing authority's register) needs the same, so
the SDK offers it rather than each plugin growing its own::

    class Records(Protocol):
        def contributor(self, id_number: str) -> Contributor | None: ...

    RECORDS = sdk.AdapterChoice(
        name="records",
        protocol=Records,
        implementations={"sandbox": SandboxRecords, "http": HttpRecords},
        default="sandbox",
        help="Where GOSI's contributor records come from: sandbox, http or package.module:ClassName.",
    )

    @sdk.hookimpl
    def gateway_register_settings():
        return [RECORDS.setting(), *HTTP_SETTINGS]

    @sdk.hookimpl
    def gateway_startup(program, settings):
        RECORDS.start(settings)           # built once now: a wrong choice stops the plugin at boot

    def my_view():
        records = RECORDS.current("gosi")  # the app's instance
        try:
            contributor = records.contributor(person.id_number)
        except sdk.AdapterUnavailable:
            ...  # "GOSI is not answering, try again later": never a 500

The setting ``GATEWAY_<SLUG>_<NAME>_ADAPTER`` names an implementation
(``sandbox``) or any class as ``package.module:ClassName`` (a third party's
own). Every implementation is called with the plugin's parsed settings and
must offer every public method of the protocol; a wrong name stops the boot
naming the variable, a class missing a method or failing to construct makes
the plugin unavailable at start-up with the reason, never at a citizen's click.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Generic, TypeVar

from flask import current_app

from .host import plugin_settings
from .settings import Setting, SettingError

T = TypeVar("T")

Factory = Callable[[Mapping[str, Any]], Any]
"""An implementation: called with the plugin's parsed settings, returns the adapter."""


class AdapterUnavailable(Exception):  # noqa: N818 - the public name says what happened
    """The outside system did not answer in time or answered with an error.

    Tell the person the system is not answering and to try again later; keep
    what they entered; never turn it into "not eligible" or a 500.
    """


@dataclass(frozen=True)
class AdapterChoice(Generic[T]):
    """One outside system of a plugin and the implementations configuration chooses from."""

    name: str
    """What the system is (``records``); the setting is ``<name>_adapter``."""
    protocol: type[Any]
    """A ``typing.Protocol`` (or any class): every public method it defines is required."""
    implementations: Mapping[str, Factory]
    """Named implementations (``sandbox``, ``http``), each called with the plugin's settings."""
    default: str
    help: str
    _built: dict[int, tuple[Mapping[str, Any], Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _lock: Lock = field(default_factory=Lock, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.default not in self.implementations:
            raise SettingError(f"adapter {self.name!r}: the default {self.default!r} is not one of its implementations")

    @property
    def setting_name(self) -> str:
        return f"{self.name}_adapter"

    def setting(self) -> Setting:
        """The setting that chooses the implementation, for ``gateway_register_settings``."""
        return Setting(self.setting_name, self.default, self.parse, self.help)

    def required_methods(self) -> tuple[str, ...]:
        """The protocol's public methods, which every implementation must offer."""
        return tuple(
            name for name, member in inspect.getmembers(self.protocol) if not name.startswith("_") and callable(member)
        )

    def parse(self, value: Any) -> str:
        """The setting's parser: a named implementation or an importable ``package.module:ClassName``."""
        choice = str(value).strip()
        if choice in self.implementations:
            return choice
        self._import(choice)
        return choice

    def build(self, settings: Mapping[str, Any]) -> T:
        """A new adapter as ``settings`` choose it; :class:`SettingError` says what is wrong."""
        choice = self.parse(settings.get(self.setting_name, self.default))
        factory = self.implementations.get(choice) or self._import(choice)
        try:
            adapter = factory(settings)
        except SettingError:
            raise
        except Exception as exc:
            raise SettingError(
                f"{self.setting_name}={choice!r}: could not be constructed: {type(exc).__name__}: {exc}"
            ) from exc
        missing = [name for name in self.required_methods() if not callable(getattr(adapter, name, None))]
        if missing:
            raise SettingError(f"{self.setting_name}={choice!r}: lacks {', '.join(missing)}")
        built: T = adapter
        return built

    def start(self, settings: Mapping[str, Any]) -> T:
        """Build an adapter at start-up (from ``gateway_startup``), so a mistake shows at boot, not at a click."""
        return self.build(settings)

    def current(self, program_slug: str) -> T:
        """The adapter of the portal serving this request, built once per portal (kept in its extensions)."""
        key = f"bawaba_sdk.adapter.{program_slug}.{self.name}"
        extensions = current_app.extensions
        adapter: T | None = extensions.get(key)
        if adapter is None:
            with self._lock:
                adapter = extensions.get(key)
                if adapter is None:
                    adapter = self.build(plugin_settings(program_slug))
                    extensions[key] = adapter
        return adapter

    def _import(self, choice: str) -> Factory:
        prefix = f"{self.setting_name}={choice!r}"
        module_name, colon, class_name = choice.partition(":")
        if not colon or not module_name.strip() or not class_name.strip():
            known = ", ".join(sorted(self.implementations))
            raise SettingError(f"{prefix}: must be one of {known} or 'package.module:ClassName'")
        try:
            module = importlib.import_module(module_name.strip())
        except ImportError as exc:
            raise SettingError(f"{prefix}: cannot import module {module_name.strip()!r} ({exc})") from exc
        factory = getattr(module, class_name.strip(), None)
        if not callable(factory):
            raise SettingError(f"{prefix}: module {module_name.strip()!r} has no class {class_name.strip()!r}")
        found: Factory = factory
        return found


__all__ = ["AdapterChoice", "AdapterUnavailable", "Factory"]
