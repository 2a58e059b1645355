"""Accepting an upload, linking it to an application, and cleaning up after failures.

``store_upload`` is the one door through which a file enters the portal (the
forms engine calls it for every file field). It reads at most the size limit
plus one byte, so an oversized upload is refused without being read to the
end; it decides the type from the bytes alone; and it writes the file under a
server-made key before adding the row. Like the rest of the host it only
flushes: the caller commits, so the document joins the same transaction as
the application it belongs to.

Files and rows cannot share one transaction, so two mechanisms keep them
together. When the session's transaction ends without a commit (a rollback,
or a request that closes its session on an error), the files saved in it are
deleted at once. And because a process can die between the two,
:func:`purge_orphans` deletes stored files older than a grace period that no
row refers to; run it from time to time (``gateway documents purge-orphans``).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from ..messaging.models import utc_now
from .models import PURPOSE_LENGTH, Document
from .names import sanitise_file_name
from .sniffing import sniff
from .storage import DocumentStorage, LocalFolderStorage, new_storage_key

logger = logging.getLogger("gateway.documents")

EXTENSION_KEY = "gateway.documents"
READ_CHUNK = 64 * 1024
PENDING_INFO_KEY = "gateway.documents.pending"
LISTENING_INFO_KEY = "gateway.documents.listening"
PURGE_BATCH = 500
MEBIBYTE = 1024 * 1024


class DocumentRejected(ValueError):  # noqa: N818 - the name other parts code against
    """The upload cannot be accepted; ``message`` is translated and fit to show next to the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def current_storage() -> DocumentStorage:
    storage: DocumentStorage = current_app.extensions[EXTENSION_KEY]
    return storage


def store_upload(
    db: Session,
    *,
    person_id: int,
    file_storage: FileStorage | None,
    purpose: str,
    storage: DocumentStorage | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Check, store and record one uploaded file of ``person_id``; raise :class:`DocumentRejected` if unfit.

    ``storage`` and ``max_bytes`` default to the app's (``GATEWAY_DOCUMENT_MAX_BYTES``).
    """
    storage = storage if storage is not None else current_storage()
    limit = max_bytes if max_bytes is not None else int(current_app.config["GATEWAY_DOCUMENT_MAX_BYTES"])
    data = _read_limited(file_storage, limit)
    if not data:
        raise DocumentRejected(_("The file is empty. Please choose the file again."))
    content_type = sniff(data)
    if content_type is None:
        raise DocumentRejected(_("Only PDF, JPEG and PNG files are accepted. This file is not one of them."))

    key = new_storage_key()
    storage.save(key, io.BytesIO(data))
    document = Document(
        person_id=person_id,
        purpose=purpose[:PURPOSE_LENGTH],
        original_name=sanitise_file_name(file_storage.filename if file_storage is not None else None),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
    )
    try:
        db.add(document)
        db.flush()
    except BaseException:
        storage.delete(key)
        raise
    _delete_unless_committed(db, storage, key)
    return document


def _read_limited(file_storage: FileStorage | None, limit: int) -> bytes:
    """Up to ``limit`` bytes; one byte more means too large, and reading stops there."""
    if file_storage is None:
        return b""
    buffer = bytearray()
    while len(buffer) <= limit:
        chunk = file_storage.stream.read(min(READ_CHUNK, limit + 1 - len(buffer)))
        if not chunk:
            break
        buffer.extend(chunk)
    if len(buffer) > limit:
        raise DocumentRejected(
            _("The file is too large. The largest file accepted is %(limit)s MB.", limit=_megabytes(limit))
        )
    return bytes(buffer)


def _megabytes(size: int) -> str:
    return f"{size / MEBIBYTE:.3g}"


def _delete_unless_committed(db: Session, storage: DocumentStorage, key: str) -> None:
    """Remember ``key`` until the session's transaction ends; delete the file if it ends without a commit."""
    db.info.setdefault(PENDING_INFO_KEY, []).append((storage, key))
    if not db.info.get(LISTENING_INFO_KEY):
        db.info[LISTENING_INFO_KEY] = True
        event.listen(db, "after_commit", _forget_pending)
        event.listen(db, "after_transaction_end", _delete_pending)


def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING_INFO_KEY, None)


def _delete_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint: the outer transaction may still commit (purge_orphans covers the rest)
    pending: list[tuple[DocumentStorage, str]] = session.info.pop(PENDING_INFO_KEY, [])
    for storage, key in pending:
        try:
            storage.delete(key)
        except OSError:
            logger.warning("could not delete the file of a rolled-back upload; purge_orphans will retry")


def attach(db: Session, document: Document, application_id: int) -> None:
    """Make ``document`` part of an application; a document belongs to at most one."""
    if document.application_id is not None and document.application_id != application_id:
        raise ValueError("the document already belongs to another application")
    document.application_id = application_id
    db.flush()


def documents_of_application(db: Session, application_id: int) -> list[Document]:
    return list(db.scalars(select(Document).where(Document.application_id == application_id).order_by(Document.id)))


def document_by_public_id(db: Session, public_id: str) -> Document | None:
    return db.scalars(select(Document).where(Document.public_id == public_id)).first()


def purge_orphans(
    db: Session, storage: DocumentStorage, older_than: timedelta, *, now: datetime | None = None
) -> list[str]:
    """Delete stored files older than ``older_than`` whose row does not exist; return their keys.

    The grace period matters: a file is saved just before its row is flushed,
    and the row is invisible to others until the uploading transaction
    commits, so ``older_than`` must be longer than any transaction (hours,
    not seconds). Rows are looked up in batches; nothing is deleted from the
    database.
    """
    cutoff = (now or utc_now()) - older_than
    deleted: list[str] = []
    for batch in _batches(storage.keys_older_than(cutoff), PURGE_BATCH):
        known = set(db.scalars(select(Document.storage_key).where(Document.storage_key.in_(batch))))
        for key in batch:
            if key not in known:
                storage.delete(key)
                deleted.append(key)
    if isinstance(storage, LocalFolderStorage):
        for leftover in storage.stale_temporary_files(cutoff):
            leftover.unlink(missing_ok=True)
    if deleted:
        logger.info("purged %d orphaned document files", len(deleted))
    return deleted


def _batches(keys: Iterable[str], size: int) -> Iterable[list[str]]:
    batch: list[str] = []
    for key in keys:
        batch.append(key)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = [
    "DocumentRejected",
    "attach",
    "document_by_public_id",
    "documents_of_application",
    "purge_orphans",
    "store_upload",
]
