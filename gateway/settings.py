"""The host's configuration: declared keys, read from ``GATEWAY_*`` variables.

Configuration comes from three places, the first that has a key winning: the
mapping given to ``create_app`` (tests, embedding), the environment variables
``GATEWAY_<KEY>``, and the defaults declared here. Every key is parsed when the
app is built, and every problem is reported at once, so an operator fixes a
bad deployment in one go instead of one crash at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bawaba_sdk.settings import SettingError, parse_bool, parse_int, parse_list, parse_text

from .tasks.schedule import parse_schedule_setting

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


def _parse_choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise SettingError(f"must be one of {', '.join(choices)}")
        return text

    return parse


def _parse_rate(value: Any) -> str:
    """A Flask-Limiter rate such as ``10/minute`` or ``5 per hour``."""
    from limits import parse_many

    text = str(value).strip()
    try:
        parse_many(text)
    except ValueError as exc:
        raise SettingError(f"{text!r} is not a rate such as 10/minute") from exc
    return text


def _parse_tasks_url(value: Any) -> str | None:
    """A Redis URL or ``sqlite:///path`` for the task queue (empty: the default)."""
    text = _parse_optional_text(value)
    if text is not None and not text.startswith(("redis://", "rediss://", "unix://", "sqlite:///")):
        raise SettingError("must be a redis://, rediss://, unix:// or sqlite:/// URL")
    return text


def _parse_queue_name(value: Any) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"[A-Za-z0-9_]{1,64}", text):
        raise SettingError("must be 1 to 64 letters, digits or _")
    return text


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
    HostSetting(
        "STAGING",
        False,
        parse_bool,
        "A staging deployment: production settings with sandbox adapters (registry, payments, SMS or email outbox), "
        "which production otherwise refuses.",
    ),
    HostSetting("DEFAULT_LANGUAGE", "ar", _parse_language, "Language for visitors who state no preference."),
    HostSetting("LOG_LEVEL", "INFO", _parse_log_level, "Logging level."),
    HostSetting(
        "PROXY_COUNT",
        0,
        parse_int(minimum=0, maximum=5),
        "How many reverse proxies in front of the app set X-Forwarded-* headers.",
    ),
    # -- outside services ------------------------------------------------------------
    HostSetting(
        "REDIS_URL",
        None,
        _parse_optional_text,
        "Redis for sessions and rate limits (e.g. redis://127.0.0.1:6379/0); in-process when unset.",
        secret=True,
    ),
    HostSetting(
        "RATE_LIMITS_IN_PROCESS",
        False,
        parse_bool,
        "Allow production without REDIS_URL, rate limits then counting in each worker process (N workers let N "
        "times as many tries through); production refuses it otherwise.",
    ),
    HostSetting(
        "PAGE_CACHE_SECONDS",
        300,
        parse_int(minimum=0, maximum=3600),
        "How long a person's rendered dashboard may be reused while nothing on it changed (needs REDIS_URL; 0 turns "
        "the page cache off).",
    ),
    HostSetting(
        "REGISTRY_ADAPTER", "sandbox", parse_text, "National registry adapter: 'sandbox' or 'package.module:ClassName'."
    ),
    HostSetting(
        "REGISTRY_SANDBOX_FILE",
        None,
        _parse_optional_text,
        "JSON file of fictional people for the sandbox registry; the packaged one by default.",
    ),
    HostSetting(
        "SMS_ADAPTER",
        "outbox",
        _parse_choice("outbox", "http"),
        "outbox keeps SMS in the outbox for developers to read; http sends through SMS_HTTP_URL.",
    ),
    HostSetting("SMS_HTTP_URL", None, _parse_optional_text, "The HTTP SMS provider's send endpoint."),
    HostSetting("SMS_HTTP_TOKEN", None, _parse_optional_text, "Bearer token for the SMS provider.", secret=True),
    HostSetting(
        "SMS_HTTP_FORMAT",
        "json",
        _parse_choice("json", "form"),
        "How the message is posted: a JSON body or a form-encoded body.",
    ),
    HostSetting("SMS_HTTP_TIMEOUT_SECONDS", 5, parse_int(minimum=1, maximum=60), "Timeout of one SMS request."),
    HostSetting("SMS_SENDER_NAME", "Bawaba", parse_text, "Sender name given to the SMS provider."),
    HostSetting(
        "EMAIL_ADAPTER",
        "outbox",
        _parse_choice("outbox", "smtp"),
        "outbox keeps email in the outbox; smtp sends through SMTP_HOST.",
    ),
    HostSetting("SMTP_HOST", None, _parse_optional_text, "SMTP server host."),
    HostSetting("SMTP_PORT", 587, parse_int(minimum=1, maximum=65535), "SMTP server port."),
    HostSetting("SMTP_USERNAME", None, _parse_optional_text, "SMTP user name, if the server needs one."),
    HostSetting("SMTP_PASSWORD", None, _parse_optional_text, "SMTP password.", secret=True),
    HostSetting("SMTP_SECURITY", "starttls", _parse_choice("none", "starttls", "tls"), "SMTP transport security."),
    HostSetting("SMTP_TIMEOUT_SECONDS", 10, parse_int(minimum=1, maximum=120), "Timeout of one SMTP session."),
    HostSetting("MAIL_FROM", "Bawaba <no-reply@bawaba.example>", parse_text, "The From address of email."),
    HostSetting(
        "OUTBOX_MAX_ATTEMPTS",
        20,
        parse_int(minimum=1, maximum=100),
        "Delivery attempts before a message is marked failed (with growing back-off).",
    ),
    HostSetting(
        "OUTBOX_RETRY_BASE_SECONDS",
        15,
        parse_int(minimum=1, maximum=3600),
        "First retry delay; each further retry waits twice as long.",
    ),
    HostSetting("OUTBOX_RETRY_MAX_SECONDS", 1800, parse_int(minimum=1, maximum=86400), "Longest retry delay."),
    # -- background work (gateway worker) -------------------------------------------
    HostSetting(
        "TASKS_URL",
        None,
        _parse_tasks_url,
        "Where the task queue lives: redis://... or sqlite:///path (REDIS_URL, else instance/tasks.sqlite3).",
        secret=True,
    ),
    HostSetting(
        "TASKS_QUEUE_NAME",
        "bawaba",
        _parse_queue_name,
        "Name of the task queue (letters, digits, _), so several portals can share one Redis.",
    ),
    HostSetting("TASKS_RETRIES", 5, parse_int(minimum=0, maximum=50), "How many times a failed task is tried again."),
    HostSetting(
        "TASKS_RETRY_DELAY_SECONDS", 10, parse_int(minimum=1, maximum=3600), "Wait before a failed task's first retry."
    ),
    HostSetting(
        "TASKS_RETRY_BACKOFF", 2, parse_int(minimum=1, maximum=10), "Each further retry waits this many times longer."
    ),
    HostSetting(
        "SCHEDULE_OUTBOX",
        "* * * * *",
        parse_schedule_setting,
        "When the worker sends what is due in the outbox (crontab, UTC; 'off' never).",
    ),
    HostSetting(
        "SCHEDULE_HOUSEKEEPING",
        "15 2 * * *",
        parse_schedule_setting,
        "When expired sessions, codes, old messages and spent OIDC rows are deleted (crontab, UTC).",
    ),
    HostSetting(
        "SCHEDULE_PURGE_DRAFTS",
        "30 2 * * *",
        parse_schedule_setting,
        "When drafts untouched for DRAFT_RETENTION_DAYS are deleted (crontab, UTC).",
    ),
    HostSetting(
        "SCHEDULE_PURGE_ORPHANS",
        "45 2 * * *",
        parse_schedule_setting,
        "When stored files no document refers to are deleted (crontab, UTC).",
    ),
    # -- one-time codes ---------------------------------------------------------------
    HostSetting("OTP_LENGTH", 6, parse_int(minimum=6, maximum=10), "Digits in a one-time code."),
    HostSetting("OTP_TTL_SECONDS", 300, parse_int(minimum=60, maximum=1800), "How long a code is valid."),
    HostSetting("OTP_MAX_ATTEMPTS", 5, parse_int(minimum=1, maximum=10), "Wrong tries allowed per code."),
    HostSetting("OTP_RESEND_SECONDS", 60, parse_int(minimum=0, maximum=600), "Wait before a code can be resent."),
    HostSetting("OTP_MAX_SENDS_PER_HOUR", 5, parse_int(minimum=1, maximum=100), "Codes sent per person per hour."),
    HostSetting(
        "OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR",
        5,
        parse_int(minimum=1, maximum=100),
        "Codes sent to one mobile number or email address per hour.",
    ),
    HostSetting(
        "OTP_MAX_SENDS_PER_ADDRESS_PER_DAY",
        10,
        parse_int(minimum=1, maximum=1000),
        "Codes sent to one mobile number or email address per day.",
    ),
    # -- sign-in and sessions ---------------------------------------------------------
    HostSetting("PASSWORD_MIN_LENGTH", 8, parse_int(minimum=8, maximum=64), "Shortest password accepted."),
    HostSetting("PASSWORD_MAX_LENGTH", 256, parse_int(minimum=64, maximum=1024), "Longest password accepted."),
    HostSetting("ARGON2_TIME_COST", 3, parse_int(minimum=1, maximum=10), "Argon2id passes (RFC 9106 default 3)."),
    HostSetting(
        "ARGON2_MEMORY_KIB",
        65536,
        parse_int(minimum=8, maximum=1048576),
        "Argon2id memory in KiB (RFC 9106 default 64 MiB); lower only for tests.",
    ),
    HostSetting("ARGON2_PARALLELISM", 4, parse_int(minimum=1, maximum=16), "Argon2id lanes."),
    HostSetting("SESSION_IDLE_MINUTES", 15, parse_int(minimum=1, maximum=720), "Sign-out after this much idleness."),
    HostSetting("SESSION_ABSOLUTE_HOURS", 12, parse_int(minimum=1, maximum=168), "Longest life of a session."),
    HostSetting(
        "SIGNIN_FREE_FAILURES", 3, parse_int(minimum=1, maximum=20), "Failed sign-ins before delays start growing."
    ),
    HostSetting("SIGNIN_LOCK_AFTER", 10, parse_int(minimum=2, maximum=100), "Failed sign-ins that lock an account."),
    HostSetting(
        "SIGNIN_LOCK_MINUTES", 15, parse_int(minimum=1, maximum=1440), "How long a lock lasts (never extended)."
    ),
    HostSetting(
        "SIGNIN_DEVICE_DAYS",
        180,
        parse_int(minimum=1, maximum=730),
        "How long a browser that completed a sign-in is known (its failures are counted apart).",
    ),
    HostSetting(
        "SIGNIN_ADDRESS_LOCK_AFTER",
        50,
        parse_int(minimum=5, maximum=10000),
        "Failed sign-ins from one network address that lock it out.",
    ),
    HostSetting(
        "SIGNIN_SPRAY_ACCOUNTS",
        10,
        parse_int(minimum=3, maximum=1000),
        "Different accounts failing from one address that raise a password-spraying alert.",
    ),
    HostSetting("SIGNIN_SPRAY_MINUTES", 10, parse_int(minimum=1, maximum=1440), "The window of the spraying alert."),
    HostSetting(
        "JSON_MAX_DEPTH",
        32,
        parse_int(minimum=4, maximum=500),
        "Deepest nesting of arrays and objects accepted in a JSON body (deeper: 400).",
    ),
    HostSetting("RATE_LIMIT_SIGNIN", "10/minute;100/hour", _parse_rate, "Sign-in attempts per address."),
    HostSetting("RATE_LIMIT_REGISTRATION", "10/minute;50/hour", _parse_rate, "Registration steps per address."),
    HostSetting("RATE_LIMIT_CODES", "10/minute;60/hour", _parse_rate, "Code entries and resends per address."),
    HostSetting(
        "RATE_LIMIT_CALCULATIONS", "60/minute;1000/hour", _parse_rate, "Calls of the calculation API per address."
    ),
    # -- OpenID Connect provider ------------------------------------------------------
    HostSetting(
        "OIDC_ISSUER",
        None,
        _parse_optional_text,
        "The issuer URL (https://portal.example); by default the URL the request came to.",
    ),
    HostSetting(
        "OIDC_KEY_FILE",
        None,
        _parse_optional_text,
        "PEM file of the RS256 signing key; generated in the instance folder when unset.",
    ),
    HostSetting(
        "OIDC_PAIRWISE_SECRET",
        None,
        _parse_optional_text,
        "Key of the pairwise subject identifiers (at least 32 characters); generated in the instance folder when "
        "unset. Changing it changes every app's sub for every person: set it once, keep it.",
        secret=True,
    ),
    HostSetting("OIDC_CODE_SECONDS", 300, parse_int(minimum=30, maximum=300), "Life of an authorization code."),
    HostSetting("OIDC_ACCESS_TOKEN_SECONDS", 3600, parse_int(minimum=60, maximum=3600), "Life of an access token."),
    HostSetting(
        "OIDC_REFRESH_TOKEN_DAYS",
        30,
        parse_int(minimum=1, maximum=365),
        "Absolute life of a chain of rotated refresh tokens.",
    ),
    # -- applications, documents and payments -------------------------------------
    HostSetting(
        "DRAFT_RETENTION_DAYS",
        30,
        parse_int(minimum=1, maximum=3650),
        "Drafts untouched for this many days are deleted.",
    ),
    HostSetting(
        "DOCUMENT_MAX_BYTES",
        10 * 1024 * 1024,
        parse_int(minimum=1024, maximum=100 * 1024 * 1024),
        "Largest accepted upload, in bytes.",
    ),
    HostSetting(
        "DOCUMENT_STORAGE_PATH",
        None,
        _parse_optional_text,
        "Folder for uploaded documents (outside the web root); instance/documents by default.",
    ),
    HostSetting("PAYMENT_ADAPTER", "sandbox", parse_text, "Payment adapter: 'sandbox' or 'package.module:ClassName'."),
    HostSetting(
        "PAYMENT_CALLBACK_SECRET",
        None,
        _parse_optional_text,
        "Shared secret that signs payment providers' callbacks (HMAC-SHA256).",
        secret=True,
    ),
    HostSetting("PAYMENT_BILL_VALID_DAYS", 7, parse_int(minimum=1, maximum=90), "How long a bill can be paid."),
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
