"""What production refuses to start with: sandbox adapters, and rate limits counted per process.

A sandbox registry invents people, the sandbox payment provider pays every
bill, and the outbox adapters send nothing: in front of citizens each is a
silent failure, so production names them and stops, unless the operator says
this is a staging deployment (``GATEWAY_STAGING``). Without Redis the rate
limits count in each worker, so four workers let four times the tries
through; production stops unless ``GATEWAY_RATE_LIMITS_IN_PROCESS`` accepts it.

Each refusal is one line naming the setting to change, as the secret key's is.
Commands that neither serve nor sign (help, ``plugins list``, ``db current``)
are not checked, so an operator can still look around a half-configured host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .settings import ConfigError

SANDBOX_ADAPTERS: tuple[tuple[str, str], ...] = (
    ("REGISTRY_ADAPTER", "sandbox"),
    ("PAYMENT_ADAPTER", "sandbox"),
    ("SMS_ADAPTER", "outbox"),
    ("EMAIL_ADAPTER", "outbox"),
)
"""Each setting, and the value that names its sandbox."""


def sandboxes_in_use(settings: Mapping[str, Any]) -> list[str]:
    """``GATEWAY_<SETTING>=<value>`` for each sandbox adapter the settings choose."""
    return [
        f"GATEWAY_{name}={sandbox}"
        for name, sandbox in SANDBOX_ADAPTERS
        if str(settings.get(name, "")).strip().lower() == sandbox
    ]


def check_production(settings: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` (one line) when production would run on a sandbox or per-process limits."""
    if settings.get("ENV") != "production":
        return
    sandboxes = sandboxes_in_use(settings)
    if sandboxes and not settings.get("STAGING"):
        raise ConfigError(
            f"production refuses sandbox adapters ({', '.join(sandboxes)}): configure the real ones, or set "
            "GATEWAY_STAGING=1 if this is a staging deployment"
        )
    if not settings.get("REDIS_URL") and not settings.get("RATE_LIMITS_IN_PROCESS"):
        raise ConfigError(
            "production needs GATEWAY_REDIS_URL: without Redis each worker counts rate limits on its own; set it, "
            "or set GATEWAY_RATE_LIMITS_IN_PROCESS=1 to accept per-process limits"
        )
