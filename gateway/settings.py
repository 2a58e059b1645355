"""The host's configuration: declared keys, read from ``GATEWAY_*`` variables.

Configuration comes from three places, the first that has a key winning: the
mapping given to ``create_app`` (tests, embedding), the environment variables
``GATEWAY_<KEY>``, and the defaults declared here. Every key is parsed when the
app is built, and every problem is reported at once, so an operator fixes a
bad deployment in one go instead of one crash at a time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sdk.settings import SettingError, parse_bool, parse_int, parse_list

ENV_PREFIX = "GATEWAY_"
ENVIRONMENTS = ("production", "development", "testing")
DEFAULT_PLUGINS = ("musaned", "social_security", "gosi")


class ConfigError(Exception):
    """The configuration cannot be used; the message names each bad key and why."""


def _parse_environment(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in ENVIRONMENTS:
        raise SettingError(f"must be one of {', '.join(ENVIRONMENTS)}")
    return text


def _parse_language(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in ("ar", "en"):
        raise SettingError("must be ar or en")
    return text


def _parse_optional_text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _parse_log_level(value: Any) -> str:
    text = str(value).strip().upper()
    if text not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return text


@dataclass(frozen=True)
class HostSetting:
    """One key of the host's configuration."""

    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    secret: bool = False

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name


HOST_SETTINGS: tuple[HostSetting, ...] = (
    HostSetting(
        "ENV",
        "production",
        _parse_environment,
        "production, development or testing; production refuses unsafe defaults.",
    ),
    HostSetting(
        "SECRET_KEY",
        None,
        _parse_optional_text,
        "Signs sessions and tokens. Required in production; generated in development.",
        secret=True,
    ),
    HostSetting(
        "INSTANCE_PATH", None, _parse_optional_text, "Folder for the SQLite database, generated keys and uploads."
    ),
    HostSetting(
        "DATABASE_URL",
        None,
        _parse_optional_text,
        "SQLAlchemy URL; defaults to a SQLite file in the instance folder.",
        secret=True,
    ),
    HostSetting(
        "PLUGINS",
        DEFAULT_PLUGINS,
        parse_list,
        "Comma-separated names of the plugins to enable; installed is not enabled.",
    ),
    HostSetting(
        "PLUGINS_STRICT", False, parse_bool, "Refuse to start when any enabled plugin fails, instead of disabling it."
    ),
    HostSetting("DEFAULT_LANGUAGE", "ar", _parse_language, "Language for visitors who state no preference."),
    HostSetting("LOG_LEVEL", "INFO", _parse_log_level, "Logging level."),
    HostSetting(
        "PROXY_COUNT",
        0,
        parse_int(minimum=0, maximum=5),
        "How many reverse proxies in front of the app set X-Forwarded-* headers.",
    ),
)


def host_setting_names() -> frozenset[str]:
    return frozenset(setting.name for setting in HOST_SETTINGS)


def read_value(key: str, overrides: Mapping[str, Any], environ: Mapping[str, str]) -> tuple[bool, Any, str]:
    """Find ``key``: (found, raw value, where it came from, for error messages)."""
    if key in overrides:
        return True, overrides[key], f"config[{key!r}]"
    env_var = ENV_PREFIX + key
    if env_var in environ:
        return True, environ[env_var], env_var
    return False, None, env_var


def load_host_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Parse every host key; raise :class:`ConfigError` listing all the problems."""
    overrides = overrides or {}
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in HOST_SETTINGS:
        found, raw, source = read_value(setting.name, overrides, environ)
        if not found:
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except (SettingError, ValueError) as exc:
            shown = "(hidden)" if setting.secret else repr(raw)
            problems.append(f"{source}={shown}: {exc}")
    if problems:
        raise ConfigError("Invalid configuration:\n  " + "\n  ".join(problems))
    return values
