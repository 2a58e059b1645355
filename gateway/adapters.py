"""Building an outside-system adapter that configuration names as ``package.module:ClassName``.

The registry and the payment provider (and whatever outside system comes
next) are chosen by configuration so production swaps them without code
changes; every wrong value stops the boot with a message naming the key.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from .settings import ConfigError


def construct_configured_adapter(key: str, choice: str, app_config: Mapping[str, Any]) -> Any:
    """Import the class ``choice`` names and call it with ``app_config``.

    :raises ConfigError: naming ``key`` and what is wrong with its value; the
        caller then checks the adapter offers the methods it needs.
    """
    prefix = f"{key}={choice!r}"
    module_name, colon, class_name = choice.partition(":")
    module_name, class_name = module_name.strip(), class_name.strip()
    if not colon or not module_name or not class_name:
        raise ConfigError(f"{prefix}: must be 'sandbox' or 'package.module:ClassName'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"{prefix}: cannot import module {module_name!r} ({exc})") from exc
    factory = getattr(module, class_name, None)
    if factory is None:
        raise ConfigError(f"{prefix}: module {module_name!r} has no {class_name!r}")
    if not callable(factory):
        raise ConfigError(f"{prefix}: {class_name!r} is not a class")
    try:
        return factory(app_config)
    except ConfigError:
        raise
    except Exception as exc:
        # The adapter's own words, so the operator sees e.g. a missing URL;
        # the configuration values themselves are never echoed here.
        raise ConfigError(f"{prefix}: could not be constructed: {type(exc).__name__}: {exc}") from exc
