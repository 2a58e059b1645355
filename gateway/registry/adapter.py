"""The registry adapter interface and how configuration chooses one.

The national registry is an outside system. Everything in the portal talks to
it through :class:`RegistryAdapter`, so a deployment swaps the sandbox (a data
file of fictional people, no network) for a real client by setting
``GATEWAY_REGISTRY_ADAPTER=package.module:ClassName`` — no code changes. The
class is constructed with the app's configuration mapping, so it reads its own
URL and credentials from there (or from its own environment variables).

Why a bad choice raises :class:`~gateway.settings.ConfigError`: like every
other setting, a registry that cannot be built must stop the boot (or the
command) with a message naming the key, not fail on the first registration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from flask import Flask, current_app

from bawaba_sdk import registry as sdk_registry

from ..adapters import construct_configured_adapter
from ..settings import ConfigError
from .records import RegistryRecord

SANDBOX = "sandbox"
ADAPTER_KEY = "GATEWAY_REGISTRY_ADAPTER"
SANDBOX_FILE_KEY = "GATEWAY_REGISTRY_SANDBOX_FILE"
EXTENSION_KEY = "gateway.registry"
DEFAULT_SANDBOX_FILE = Path(__file__).with_name("data") / "sandbox_people.json"
"""The packaged fictional people, used when ``GATEWAY_REGISTRY_SANDBOX_FILE`` is unset."""


class RegistryUnavailable(sdk_registry.RegistryUnavailable):
    """The registry could not answer (outage, timeout, refused credentials).

    Distinct from "no such person" (``lookup`` returns ``None``): callers tell
    the person to try again later instead of saying their ID is unknown.
    """


@runtime_checkable
class RegistryAdapter(Protocol):
    """Looks people up in the national registry."""

    def lookup(self, id_number: str) -> RegistryRecord | None:
        """The record for ``id_number`` (already 10 ASCII digits), or ``None`` if the registry has none.

        :raises RegistryUnavailable: when the registry cannot answer.
        """
        ...

    def all_records(self) -> Iterable[RegistryRecord]:
        """Every record, for the sandbox's ``gateway registry list``.

        A real registry cannot be listed and raises ``NotImplementedError``.
        """
        ...


def load_registry_adapter(app_config: Mapping[str, Any]) -> RegistryAdapter:
    """Build the adapter that ``GATEWAY_REGISTRY_ADAPTER`` names.

    ``sandbox`` reads ``GATEWAY_REGISTRY_SANDBOX_FILE`` (the packaged file when
    unset); ``package.module:ClassName`` imports that class and calls it with
    ``app_config``.

    :raises ConfigError: naming the key and what is wrong with its value.
    """
    choice = str(app_config.get(ADAPTER_KEY) or SANDBOX).strip()
    if choice.lower() == SANDBOX:
        from .sandbox import SandboxRegistry

        path = app_config.get(SANDBOX_FILE_KEY) or DEFAULT_SANDBOX_FILE
        return SandboxRegistry(path)
    return _construct(choice, app_config)


def _construct(choice: str, app_config: Mapping[str, Any]) -> RegistryAdapter:
    adapter = construct_configured_adapter(ADAPTER_KEY, choice, app_config)
    if not isinstance(adapter, RegistryAdapter):
        class_name = choice.partition(":")[2].strip()
        raise ConfigError(f"{ADAPTER_KEY}={choice!r}: {class_name} does not implement lookup() and all_records()")
    return adapter


def registry_for(app: Flask) -> RegistryAdapter:
    """The registry adapter of ``app``.

    The host builds one per app at start-up (``GatewayHost.registry``, on
    ``app.extensions``, never a module global, so tests can build many apps
    with different registries). An app without one (a bare Flask app in a
    test) gets one built from its config on first use and kept.
    """
    host = app.extensions.get("gateway")
    registry: RegistryAdapter | None = getattr(host, "registry", None)
    if registry is None:
        registry = app.extensions.get(EXTENSION_KEY)
    if registry is None:
        registry = load_registry_adapter(app.config)
        app.extensions[EXTENSION_KEY] = registry
    return registry


def current_registry() -> RegistryAdapter:
    """The registry adapter of the current app (inside an app or request context)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return registry_for(app)


__all__ = [
    "DEFAULT_SANDBOX_FILE",
    "EXTENSION_KEY",
    "RegistryAdapter",
    "RegistryUnavailable",
    "current_registry",
    "load_registry_adapter",
    "registry_for",
]
