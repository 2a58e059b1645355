"""Documents (issue 4 §6): uploads sniffed to PDF/JPEG/PNG, kept behind a storage adapter, served to the owner.

``init_documents(app)`` registers the download blueprint and puts the app's
storage at ``app.extensions["gateway.documents"]``; the forms engine stores
uploads through :func:`store_upload`. Who may download is decided by
``gateway.documents.views.may_read``.
"""

from __future__ import annotations

from flask import Flask

from .service import (
    EXTENSION_KEY,
    DocumentRejected,
    attach,
    document_by_public_id,
    documents_of_application,
    purge_orphans,
    store_upload,
)
from .storage import DocumentStorage, LocalFolderStorage, storage_from_config


def init_documents(app: Flask, storage: DocumentStorage | None = None) -> None:
    """Give ``app`` its document storage (the configured local folder unless one is passed) and the download route."""
    from .views import documents_blueprint  # here, not at the top: gateway.models imports this package early

    app.extensions[EXTENSION_KEY] = storage if storage is not None else storage_from_config(app)
    app.register_blueprint(documents_blueprint)


__all__ = [
    "EXTENSION_KEY",
    "DocumentRejected",
    "DocumentStorage",
    "LocalFolderStorage",
    "attach",
    "document_by_public_id",
    "documents_of_application",
    "init_documents",
    "purge_orphans",
    "storage_from_config",
    "store_upload",
]
