"""Oversized and mislabelled uploads on a real form step (Musaned's proof of financial capacity).

Only PDF, JPEG and PNG are accepted, told apart by their bytes (decision
0012): an executable, an HTML page, an SVG or a PDF header on something else
named ``salary.pdf`` is refused with a message in the person's language,
whatever name and Content-Type the browser claims. A real PNG named ``.pdf``
is a PNG: it is kept and served as ``image/png`` with a ``.png`` name, never
as a PDF. A file one byte over ``DOCUMENT_MAX_BYTES`` (10 MB) is refused with
a message; a request over the whole-request limit (16 MB) gets the 413 page.
Nothing refused is stored.
"""

from __future__ import annotations

import zlib
from io import BytesIO
from pathlib import Path
from struct import pack
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.documents.models import Document
from tests.musaned.conftest import MINIMAL_PDF
from tests.oidc.oidc_flow import add_client, tokens_for
from tests.security.portal import EN, World, text

BASE = "/apply/musaned/new_visa/"
NOT_ACCEPTED = "Only PDF, JPEG and PNG files are accepted. This file is not one of them."
TOO_LARGE = "The file is too large. The largest file accepted is 10 MB."
TEN_MB = 10 * 1024 * 1024
WORKER = {"worker_type": "housemaid", "nationality": "PH", "salary": "1800"}
HOUSEHOLD = {"household_size": "3", "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh"}


def png(width: int = 1, height: int = 1) -> bytes:
    """A real, minimal PNG: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return pack(">I", len(data)) + kind + data + pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\x00\x00\x00" * width)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


MISLABELLED: dict[str, bytes] = {
    "Windows executable": b"MZ\x90\x00\x03\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode",
    "ELF executable": b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
    "shell script": b"#!/bin/sh\nrm -rf / --no-preserve-root\n",
    "HTML page": b"<!doctype html><html><script>alert(document.cookie)</script></html>",
    "SVG with script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "PDF header on HTML": b"%PDF-1.4\n<html><script>alert(1)</script></html>\n",
    "ZIP archive": b"PK\x03\x04" + b"\x00" * 100,
    "truncated PNG": png()[:20],
}


@pytest.fixture
def at_capacity_step(world: World) -> FlaskClient:
    """Noura on the upload step of a new visa request (the earlier steps answered)."""
    client = world.noura.client
    client.get(BASE)
    assert client.post(BASE + "worker", data=WORKER).status_code == 303
    assert client.post(BASE + "household", data=HOUSEHOLD).status_code == 303
    return client


def upload(client: FlaskClient, content: bytes, name: str = "salary.pdf", content_type: str = "application/pdf") -> Any:
    return client.post(
        BASE + "capacity",
        data={
            "proof_kind": "salary_certificate",
            "monthly_income": "18000",
            "proof": (BytesIO(content), name, content_type),
        },
        content_type="multipart/form-data",
        headers=EN,
    )


def documents_count(world: World) -> int:
    with world.db() as db:
        return int(db.scalar(select(func.count(Document.id))) or 0)


@pytest.mark.parametrize("content", MISLABELLED.values(), ids=MISLABELLED.keys())
def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_it_is_called(
    world: World, at_capacity_step: FlaskClient, content: bytes
) -> None:
    before = documents_count(world)
    for name, claimed in (("salary.pdf", "application/pdf"), ("photo.png", "image/png"), ("scan.jpg", "image/jpeg")):
        refused = upload(at_capacity_step, content, name, claimed)
        assert refused.status_code in (400, 422), refused.status_code
        assert NOT_ACCEPTED in text(refused)
    assert documents_count(world) == before


def test_the_refusal_is_in_arabic_for_an_arabic_reader(world: World, at_capacity_step: FlaskClient) -> None:
    refused = at_capacity_step.post(
        BASE + "capacity",
        data={"proof_kind": "salary_certificate", "monthly_income": "18000", "proof": (BytesIO(b"MZ" * 50), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code in (400, 422)
    assert 'lang="ar"' in text(refused) and NOT_ACCEPTED not in text(refused)


def test_a_png_named_pdf_is_kept_and_served_as_the_png_it_is(world: World, at_capacity_step: FlaskClient) -> None:
    saved = upload(at_capacity_step, png(), "salary.pdf", "application/pdf")
    assert saved.status_code == 303, text(saved)
    with world.db() as db:
        document = db.scalars(select(Document).order_by(Document.id.desc())).first()
        assert document is not None
        assert document.content_type == "image/png"
        public_id = document.public_id
    served = at_capacity_step.get(f"/documents/{public_id}")
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert served.headers["Content-Disposition"].startswith('attachment; filename="salary.pdf.png"')
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]


def test_a_pdf_claimed_as_html_is_served_as_a_pdf_attachment(world: World, at_capacity_step: FlaskClient) -> None:
    saved = upload(at_capacity_step, MINIMAL_PDF, "page.html", "text/html")
    assert saved.status_code == 303, text(saved)
    with world.db() as db:
        document = db.scalars(select(Document).order_by(Document.id.desc())).first()
        assert document is not None
        served = at_capacity_step.get(f"/documents/{document.public_id}")
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith('attachment; filename="page.html.pdf"')


def pdf_of(size: int) -> bytes:
    """A PDF of exactly ``size`` bytes (padding between the header and the end marker)."""
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n%", b"\ntrailer<<>>\n%%EOF\n"
    return head + b"0" * (size - len(head) - len(tail)) + tail


def test_a_file_one_byte_over_the_limit_is_refused_with_the_limit_named(
    world: World, at_capacity_step: FlaskClient
) -> None:
    assert world.app.config["GATEWAY_DOCUMENT_MAX_BYTES"] == TEN_MB  # the production default
    before = documents_count(world)
    refused = upload(at_capacity_step, pdf_of(TEN_MB + 1))
    assert refused.status_code in (400, 422), refused.status_code
    assert TOO_LARGE in text(refused)
    assert documents_count(world) == before
    accepted = upload(at_capacity_step, pdf_of(TEN_MB))
    assert accepted.status_code == 303, text(accepted)[:300]


def test_a_request_over_the_whole_request_limit_gets_the_413_page(world: World, at_capacity_step: FlaskClient) -> None:
    before = documents_count(world)
    refused = upload(at_capacity_step, pdf_of(17 * 1024 * 1024))
    assert refused.status_code == 413
    assert "The upload is too large" in text(refused)
    assert documents_count(world) == before


def test_an_empty_file_is_refused_with_a_message(world: World, at_capacity_step: FlaskClient) -> None:
    refused = upload(at_capacity_step, b"")
    assert refused.status_code in (400, 422)
    assert "The file is empty" in text(refused), text(refused)[-3000:]


def test_nothing_refused_was_left_on_disk(world: World, tmp_path: Path) -> None:
    """Every stored file belongs to a document row (refusals write nothing, or clean up after themselves)."""
    storage = Path(world.app.config["GATEWAY_DOCUMENT_STORAGE_PATH"])
    with world.db() as db:
        keys = set(db.scalars(select(Document.storage_key)))
    on_disk = {path.name for path in storage.rglob("*") if path.is_file()}
    assert on_disk <= keys, on_disk - keys


def test_the_api_takes_no_uploads_and_no_one_elses_document(world: World) -> None:
    app: Flask = world.app
    rp = add_client(app, scopes=["openid", "profile", "applications"], name="Upload probe")
    token = tokens_for(world.noura.client, rp, scope="openid applications")["access_token"]
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    service = "/api/v1/programs/musaned/services/new_visa/draft"
    assert api.put(service, json={"step": "worker", "data": WORKER}, headers=headers).status_code == 200
    household = {**HOUSEHOLD, "household_size": 3}
    assert api.put(service, json={"step": "household", "data": household}, headers=headers).status_code == 200
    theirs = api.put(
        service,
        json={
            "step": "capacity",
            "data": {"proof_kind": "salary_certificate", "monthly_income": "18000", "proof": world.ahmed.document},
        },
        headers=headers,
    )
    assert theirs.status_code == 422
    assert theirs.get_json()["errors"]["proof"] == "This is not one of your uploaded documents."
