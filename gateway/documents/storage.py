"""Where the bytes of uploaded documents are kept: a storage adapter.

The rest of the portal only ever calls :class:`DocumentStorage`, so a
deployment can swap the local folder for an object store without touching the
forms or the download view. Keys are made by the server (:func:`new_storage_key`)
and checked again by the adapter, so nothing a person sends, least of all a file
name, can steer where a file is written or read: path traversal has nothing to
work with.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask

KEY_PATTERN = re.compile(r"[0-9a-f]{40}")
"""The only shape of key the local folder accepts: what :func:`new_storage_key` makes."""
TEMPORARY_PREFIX = ".upload-"
CHUNK_SIZE = 64 * 1024


def new_storage_key() -> str:
    """40 hex characters (160 random bits), unrelated to the file's name or owner."""
    return secrets.token_hex(20)


class InvalidStorageKeyError(ValueError):
    """A key that the server could not have made; refused rather than turned into a path."""


class DocumentStorage(Protocol):
    """What the portal needs from a place that keeps files."""

    def save(self, key: str, stream: BinaryIO) -> None:
        """Store the whole of ``stream`` under ``key``, atomically (readers never see half a file)."""

    def open(self, key: str) -> BinaryIO:
        """The stored file for reading; raises ``FileNotFoundError`` if there is none."""

    def delete(self, key: str) -> None:
        """Remove the file; a key that is already gone is not an error."""

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        """Every stored key last written before ``cutoff`` (used to purge orphans)."""


class LocalFolderStorage:
    """Files in a folder of the server's disk, outside the web root.

    Each file is ``<folder>/<first two characters of the key>/<key>``, so no
    single directory grows huge. Files are written to a temporary file in the
    same directory (mode 0600, from ``mkstemp``) and renamed into place, which
    is atomic: a crash leaves a stray temporary file, never a truncated document.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).resolve()

    def _file(self, key: str) -> Path:
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            raise InvalidStorageKeyError("not a storage key")
        return self.path / key[:2] / key

    def save(self, key: str, stream: BinaryIO) -> None:
        target = self._file(key)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=target.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                while chunk := stream.read(CHUNK_SIZE):
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._file(key).open("rb")

    def delete(self, key: str) -> None:
        self._file(key).unlink(missing_ok=True)

    def keys_older_than(self, cutoff: datetime) -> Iterator[str]:
        if not self.path.is_dir():
            return
        limit = cutoff.timestamp()
        for folder in sorted(self.path.iterdir()):
            if not folder.is_dir():
                continue
            for entry in sorted(folder.iterdir()):
                if KEY_PATTERN.fullmatch(entry.name) and entry.stat().st_mtime < limit:
                    yield entry.name

    def stale_temporary_files(self, cutoff: datetime) -> Iterator[Path]:
        """Temporary files left by a crash in the middle of a save, older than ``cutoff``."""
        if not self.path.is_dir():
            return
        limit = cutoff.timestamp()
        for entry in self.path.glob(f"*/{TEMPORARY_PREFIX}*"):
            if entry.stat().st_mtime < limit:
                yield entry


def default_storage_path(app: Flask) -> Path:
    """GATEWAY_DOCUMENT_STORAGE_PATH, or ``instance/documents`` (never served by the web server)."""
    configured = app.config.get("GATEWAY_DOCUMENT_STORAGE_PATH")
    return Path(configured) if configured else Path(app.instance_path) / "documents"


def storage_from_config(app: Flask) -> LocalFolderStorage:
    """The app's document storage; refuses a folder inside the static folder (it would be public)."""
    path = default_storage_path(app).resolve()
    if app.static_folder is not None:
        static = Path(app.static_folder).resolve()
        if path == static or static in path.parents:
            raise ValueError(f"document storage {path} is inside the public static folder {static}")
    return LocalFolderStorage(path)
