"""Downloading a document: only for people allowed to read it, and never rendered by the browser.

Whoever may not read a document gets the same 404 as for one that does not
exist, so a download address reveals nothing to anyone else, not even that it
exists. The response is always an attachment with the sniffed type, no
sniffing by the browser, a sandboxing Content-Security-Policy and no caching,
so a file that slipped past the checks still cannot run as a page of the
portal or linger in a shared cache.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.orm import Session
from werkzeug.wsgi import wrap_file

from ..audit.denials import deny
from ..identity.current import current_person_record
from ..identity.models import Person
from ..identity.profile_views import signed_in
from .models import Document
from .names import content_disposition, download_name
from .service import current_storage, document_by_public_id
from .storage import InvalidStorageKeyError

logger = logging.getLogger("gateway.documents")

documents_blueprint = Blueprint("documents", __name__, url_prefix="/documents")

PUBLIC_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,32}")
"""The shape of :func:`models.new_public_id`; anything else (``..``, slashes, encodings) is a 404 before any lookup."""
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def may_read(person: Person, document: Document) -> bool:
    """Whether ``person`` may download ``document``.

    Today only its owner. The back office will extend this for the staff of
    the program the document's application belongs to; keep every access
    decision here so the view and any future API share it.
    """
    return document.person_id == person.id


@documents_blueprint.get("/<public_id>")
@signed_in
def download(public_id: str) -> Response:
    if not PUBLIC_ID_PATTERN.fullmatch(public_id):
        abort(404)
    person = current_person_record()
    assert person is not None  # signed_in guarantees it
    document = document_by_public_id(_db(), public_id)
    if document is None:
        abort(404)
    if not may_read(person, document):
        deny("document", public_id, reason="another_persons", person_id=person.id)
    try:
        handle = current_storage().open(document.storage_key)
    except (FileNotFoundError, InvalidStorageKeyError):
        logger.error("the file of document %s is missing from the storage", document.id)
        abort(404)
    response = Response(wrap_file(request.environ, handle), mimetype=document.content_type, direct_passthrough=True)
    response.content_length = document.size
    response.headers["Content-Disposition"] = content_disposition(
        download_name(document.original_name, document.content_type)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


def _db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session
