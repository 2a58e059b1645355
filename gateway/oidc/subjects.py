"""Subject identifiers: public (the person's own ``subject``) or pairwise, one per sector (Core §8).

A pairwise ``sub`` is ``HMAC-SHA256(key, sector identifier, person's subject)``:
stable for one app (or for the apps of one sector, which the operator groups
on purpose), different for every other, so two apps cannot link a citizen by
comparing subs. The person's own random ``subject`` is the local account id,
not the database row id, so a dump restored elsewhere gives the same subs.

The sector is fixed when the client is registered (and stored), so adding a
redirect URI later never changes the subs an app already knows: the host of
its redirect URIs, or a sector the operator registers for apps on several
hosts. Loopback hosts (native apps in development) name no sector, since
every native app shares them; such a client is a sector of its own.

The key comes from ``GATEWAY_OIDC_PAIRWISE_SECRET``, or is generated once in
the instance folder (like the signing key), readable by its owner only.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import ipaddress
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from ..settings import ConfigError

PAIRWISE = "pairwise"
PUBLIC = "public"
SUBJECT_TYPES = (PAIRWISE, PUBLIC)
"""What discovery advertises (``subject_types_supported``); new clients get the first."""
GENERATED_SECRET_NAME = "oidc_pairwise.key"
MINIMUM_SECRET_LENGTH = 32
MAX_SECTOR_LENGTH = 255


class SectorError(ValueError):
    """No sector identifier can be chosen for these redirect URIs; the message says what to do."""


class SubjectClient(Protocol):
    """What deciding a client's subjects needs of it (an :class:`~gateway.oidc.models.OAuthClient`)."""

    subject_type: str
    sector_identifier: str | None


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def choose_sector(redirect_uris: Iterable[str], registered: str | None, client_id: str) -> str:
    """The client's sector: ``registered`` (a host name), else its redirect URIs' one host.

    Loopback hosts are left out; with none left, the client is a sector of
    its own (``client:<client_id>``). Several hosts need ``registered``
    (Core §8.1 asks for a sector identifier then).
    """
    if registered:
        sector = registered.strip().lower()
        if not sector or len(sector) > MAX_SECTOR_LENGTH or any(c in sector for c in "/:@ \t?#"):
            raise SectorError(f"the sector identifier {registered!r} must be a host name such as apps.example.sa")
        return sector
    hosts = {
        (urlsplit(uri).hostname or "").lower()
        for uri in redirect_uris
        if urlsplit(uri).hostname and not is_loopback_host(urlsplit(uri).hostname or "")
    }
    if not hosts:
        return f"client:{client_id}"
    if len(hosts) > 1:
        raise SectorError(
            f"the redirect URIs are on several hosts ({', '.join(sorted(hosts))}): give a sector identifier "
            "(the host name the apps share) for their pairwise subject identifiers, or make the client public"
        )
    return hosts.pop()


def pairwise_subject(key: bytes, sector: str, local_subject: str) -> str:
    """The pairwise ``sub``: base64url of HMAC-SHA256 over the sector and the person's subject (43 characters)."""
    message = sector.encode("utf-8") + b"\x00" + local_subject.encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class PairwiseKey:
    """The HMAC key of pairwise subjects: configured, or generated once into the instance folder on first use."""

    def __init__(self, configured: str | None, instance_path: Path) -> None:
        if configured is not None and len(configured) < MINIMUM_SECRET_LENGTH:
            raise ConfigError(f"GATEWAY_OIDC_PAIRWISE_SECRET must have at least {MINIMUM_SECRET_LENGTH} characters")
        self._key = configured.encode("utf-8") if configured is not None else None
        self._path = instance_path / GENERATED_SECRET_NAME
        self._lock = threading.Lock()

    def get(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = _read_or_generate(self._path)
        return self._key

    def subject_for(self, client: SubjectClient, local_subject: str) -> str:
        """The ``sub`` ``client`` knows the person with the local ``subject`` by."""
        if client.subject_type == PUBLIC:
            return local_subject
        return pairwise_subject(self.get(), client.sector_identifier or "", local_subject)


def _read_or_generate(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".oidc-pairwise-")
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            # link() never replaces: when two workers race, the first key wins and both use it.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the pairwise subject key ({exc.strerror})") from exc
    if len(text) < MINIMUM_SECRET_LENGTH:
        raise ConfigError(f"{path}: the pairwise subject key is shorter than {MINIMUM_SECRET_LENGTH} characters")
    return text.encode("utf-8")
