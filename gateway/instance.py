"""The instance folder and the secret key kept in it.

In development the portal must start with no set-up at all, so it generates
a secret key once and keeps it in the instance folder (sessions survive a
restart). In production a generated key would differ between workers and
hosts, so a missing or short key stops the boot instead.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .settings import ConfigError

SECRET_KEY_FILE = "secret_key"
MINIMUM_PRODUCTION_KEY_LENGTH = 32


def ensure_instance_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def resolve_secret_key(
    configured: str | None, environment: str, instance_path: Path, *, ephemeral_allowed: bool = False
) -> str:
    """The key to sign with, per the rules above.

    ``ephemeral_allowed``: the caller (a command that signs nothing and serves
    no one, such as ``gateway --help`` or ``gateway plugins list``) may run on a
    throwaway key when production has none, so help and read-only commands
    work in a new shell; the commands that serve or sign refuse instead.
    """
    if configured:
        if environment == "production" and len(configured) < MINIMUM_PRODUCTION_KEY_LENGTH:
            raise ConfigError(
                f"GATEWAY_SECRET_KEY is too short for production: use at least {MINIMUM_PRODUCTION_KEY_LENGTH} "
                "random characters, for example the output of: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'"
            )
        return configured
    if environment == "production":
        if ephemeral_allowed:
            return secrets.token_urlsafe(48)
        raise ConfigError(
            "GATEWAY_SECRET_KEY is not set. Production refuses to start without a secret key: set "
            "GATEWAY_SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))') "
            "and use the same value on every worker, or set GATEWAY_ENV=development on a developer's machine."
        )
    key_file = ensure_instance_folder(instance_path) / SECRET_KEY_FILE
    if key_file.exists():
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(48)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
