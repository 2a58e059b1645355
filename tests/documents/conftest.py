"""Helpers for the document tests: real sample files, a portal with documents, and a test-only upload route.

The upload route exists only here: the forms engine is the real caller of
``store_upload``, but these tests need a plain multipart request to show that
the whole path (werkzeug's parsing, the size limits, the 413 page) works.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Blueprint, Flask, current_app, request
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue

from gateway.documents import EXTENSION_KEY, DocumentRejected, init_documents, store_upload
from gateway.identity.current import current_person_record
from tests.identity.conftest import RAJESH, Portal

SMALL_LIMIT = 4096
"""The size limit of the test portal (GATEWAY_DOCUMENT_MAX_BYTES), small so the boundary is cheap to test."""


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, complete PNG (grey pixels), built by hand so the tests need no imaging library."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """A JPEG with the marker structure of a real one: SOI, APP0 (JFIF), DQT, SOF0, DHT, SOS, data, EOI."""

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    quantisation = b"\x00" + bytes(range(1, 65))
    frame = b"\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    huffman = b"\x00" + b"\x00" * 16
    scan = b"\x01\x01\x00\x00\x3f\x00"
    return (
        b"\xff\xd8"
        + segment(0xE0, app0)
        + segment(0xDB, quantisation)
        + segment(0xC0, frame)
        + segment(0xC4, huffman)
        + segment(0xDA, scan)
        + b"\x12\x34\x56"
        + b"\xff\xd9"
    )


def pdf_bytes(padding: int = 0) -> bytes:
    """A small one-page PDF (``padding`` adds a comment so the size can be chosen exactly)."""
    body = (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >> endobj\n"
    )
    if padding:
        body += b"%" + b"x" * (padding - 2) + b"\n"
    return body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_of_size(size: int) -> bytes:
    base = len(pdf_bytes())
    data = pdf_bytes(padding=size - base)
    assert len(data) == size
    return data


def _test_upload_blueprint() -> Blueprint:
    blueprint = Blueprint("documents_test", __name__)

    @blueprint.post("/_test/upload")
    def upload() -> ResponseReturnValue:
        person = current_person_record()
        if person is None:
            return {"error": "sign in"}, 401
        db = current_app.extensions["gateway"].db_session()
        try:
            document = store_upload(
                db, person_id=person.id, file_storage=request.files.get("file"), purpose=request.form["purpose"]
            )
        except DocumentRejected as rejected:
            return {"error": rejected.message}, 422
        db.commit()
        return {"public_id": document.public_id, "name": document.original_name, "type": document.content_type}, 201

    return blueprint


@pytest.fixture
def documents_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    app = make_app(
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_MAX_BYTES=SMALL_LIMIT,
    )
    if EXTENSION_KEY not in app.extensions:  # until the lead wires init_documents into create_app
        init_documents(app)
    app.register_blueprint(_test_upload_blueprint())
    return app


@pytest.fixture
def portal(documents_app: Flask) -> Portal:
    return Portal(documents_app)


@pytest.fixture
def ahmed(portal: Portal) -> FlaskClient:
    """Ahmed, registered and signed in."""
    client = portal.client()
    portal.register(client)
    return client


@pytest.fixture
def rajesh(portal: Portal) -> FlaskClient:
    """Rajesh, another person, registered and signed in."""
    record = portal.app.extensions["gateway"].registry.lookup(RAJESH["id_number"])
    client = portal.client()
    portal.register(client, person=RAJESH, mobile=record.mobile, username="rajesh86", email="rajesh@example.com")
    return client


def upload(client: FlaskClient, data: bytes, name: str, content_type: str = "application/pdf", **extra: Any) -> Any:
    """POST one file through the test-only route, as a browser's multipart form would."""
    form = {"purpose": extra.pop("purpose", "passport_copy"), "file": (BytesIO(data), name, content_type)}
    extra.setdefault("headers", {"Accept-Language": "en"})
    return client.post("/_test/upload", data=form, content_type="multipart/form-data", **extra)
