"""The RS256 key that signs ID tokens, and its public half for the JWKS.

The key comes from ``GATEWAY_OIDC_KEY_FILE`` when an operator provides one
(several workers must sign with the same key), otherwise it is generated once
into the instance folder, readable by its owner only. Its ``kid`` is the
RFC 7638 thumbprint, so it changes exactly when the key does.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey

from ..settings import ConfigError

GENERATED_KEY_NAME = "oidc_rs256.pem"
KEY_BITS = 2048
ALGORITHM = "RS256"


@dataclass(frozen=True)
class SigningKey:
    key: RSAKey
    kid: str

    def public_jwk(self) -> dict[str, Any]:
        return dict(self.key.as_dict(private=False, kid=self.kid, use="sig", alg=ALGORITHM))

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk()]}


def load_signing_key(key_file: str | None, instance_path: Path) -> SigningKey:
    """The configured key, or the instance folder's (generated on first use)."""
    if key_file:
        key = _read_key(Path(key_file), f"GATEWAY_OIDC_KEY_FILE={key_file}")
    else:
        key = _read_or_generate(instance_path / GENERATED_KEY_NAME)
    return SigningKey(key=key, kid=key.thumbprint())


def _read_key(path: Path, source: str) -> RSAKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read the OpenID Connect signing key ({exc.strerror})") from exc
    try:
        key = RSAKey.import_key(data)
    except Exception as exc:  # joserfc raises several types for bad PEM
        raise ConfigError(f"{source}: not an RSA private key in PEM format") from exc
    if not key.is_private:
        raise ConfigError(f"{source}: the file holds a public key; ID tokens need the private key")
    return key


def _read_or_generate(path: Path) -> RSAKey:
    if path.exists():
        return _read_key(path, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = RSAKey.generate_key(KEY_BITS, private=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".oidc-key-")
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.as_pem(private=True))
        # link() never replaces: when two workers race, the first key wins and both use it.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return _read_key(path, str(path))


class KeyStore:
    """The app's signing key, loaded when first needed.

    A configured key file is read at start-up, so a wrong path stops the boot;
    a generated key is made on first use, so building an app (as every test
    does) costs no RSA key generation.
    """

    def __init__(self, key_file: str | None, instance_path: Path) -> None:
        self._instance_path = instance_path
        self._lock = threading.Lock()
        self._key: SigningKey | None = load_signing_key(key_file, instance_path) if key_file else None

    def get(self) -> SigningKey:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = load_signing_key(None, self._instance_path)
        return self._key
