"""Uploading through a real multipart request, and downloading: only the owner, only as an attachment."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.documents import EXTENSION_KEY
from gateway.documents.models import Document
from tests.documents.conftest import SMALL_LIMIT, jpeg_bytes, pdf_bytes, pdf_of_size, png_bytes, upload


def _row(app: Flask, public_id: str) -> Document:
    with app.extensions["gateway"].database.session_factory() as db:
        document = db.scalars(select(Document).where(Document.public_id == public_id)).one()
    return document


def _stored_files(app: Flask) -> list[Path]:
    return [path for path in app.extensions[EXTENSION_KEY].path.rglob("*") if path.is_file()]


REAL_FILES = [
    (pdf_bytes(), "passport.pdf", "application/pdf", "application/pdf"),
    (jpeg_bytes(), "photo.jpg", "image/jpeg", "image/jpeg"),
    (png_bytes(), "scan.png", "image/png", "image/png"),
    (png_bytes(), "scan.pdf", "application/pdf", "image/png"),  # the name and the browser's type are ignored
]
LYING_FILES = [
    (b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "cv.pdf", "application/pdf"),
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "photo.png", "image/png"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg", "image/svg+xml"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.png", "image/png"),
    (b"PK\x03\x04" + b"\x00" * 200, "documents.pdf", "application/pdf"),
    (b"<html>" + pdf_bytes(), "polyglot.pdf", "application/pdf"),
]
"""Each test below builds a portal and registers people, so cases share one portal rather than a parametrize."""


def test_a_real_file_is_stored_and_served_back_to_its_owner(documents_app: Flask, ahmed: FlaskClient) -> None:
    for data, name, claimed, sniffed in REAL_FILES:
        _check_round_trip(documents_app, ahmed, data, name, claimed, sniffed)


def _check_round_trip(app: Flask, ahmed: FlaskClient, data: bytes, name: str, claimed: str, sniffed: str) -> None:
    response = upload(ahmed, data, name, claimed)
    assert response.status_code == 201, response.get_json()
    public_id = response.get_json()["public_id"]
    assert response.get_json()["type"] == sniffed

    row = _row(app, public_id)
    assert (row.content_type, row.size, row.purpose, row.original_name) == (sniffed, len(data), "passport_copy", name)
    assert len(row.sha256) == 64

    download = ahmed.get(f"/documents/{public_id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.headers["Content-Type"] == sniffed
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "private, no-store"
    assert download.headers["Content-Disposition"].startswith("attachment; ")
    assert "sandbox" in download.headers["Content-Security-Policy"]


def test_files_whose_name_or_type_lies_are_refused(documents_app: Flask, ahmed: FlaskClient) -> None:
    for data, name, claimed in LYING_FILES:
        response = upload(ahmed, data, name, claimed)
        assert response.status_code == 422, name
        assert response.get_json()["error"] == (
            "Only PDF, JPEG and PNG files are accepted. This file is not one of them."
        )
    assert _stored_files(documents_app) == []


def test_the_size_limit_is_exact(documents_app: Flask, ahmed: FlaskClient) -> None:
    assert documents_app.config["GATEWAY_DOCUMENT_MAX_BYTES"] == SMALL_LIMIT
    at_limit = upload(ahmed, pdf_of_size(SMALL_LIMIT), "exact.pdf")
    assert at_limit.status_code == 201

    over = upload(ahmed, pdf_of_size(SMALL_LIMIT + 1), "over.pdf")
    assert over.status_code == 422
    assert over.get_json()["error"] == "The file is too large. The largest file accepted is 0.00391 MB."
    assert len(_stored_files(documents_app)) == 1


def test_an_empty_file_or_no_file_is_refused(documents_app: Flask, ahmed: FlaskClient) -> None:
    empty = upload(ahmed, b"", "empty.pdf")
    assert empty.status_code == 422
    assert empty.get_json()["error"] == "The file is empty. Please choose the file again."
    missing = ahmed.post(
        "/_test/upload", data={"purpose": "x"}, content_type="multipart/form-data", headers={"Accept-Language": "en"}
    )
    assert missing.status_code == 422
    assert _stored_files(documents_app) == []


def test_original_names_are_sanitised(documents_app: Flask, ahmed: FlaskClient) -> None:
    for given, kept in [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("pass\x00port.pdf", "passport.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ]:
        response = upload(ahmed, pdf_bytes(), given)
        assert response.status_code == 201
        assert response.get_json()["name"] == kept
        download = ahmed.get(f"/documents/{response.get_json()['public_id']}")
        disposition = download.headers["Content-Disposition"]
        assert "/" not in disposition.split("filename*=")[0]
        assert "\u202e" not in disposition and "%E2%80%AE" not in disposition
        assert disposition.endswith(".pdf")  # the real type, whatever the name said


def test_the_file_is_kept_outside_the_web_root_under_a_server_made_name(
    documents_app: Flask, ahmed: FlaskClient
) -> None:
    public_id = upload(ahmed, pdf_bytes(), "../../static/evil.pdf").get_json()["public_id"]
    files = _stored_files(documents_app)
    assert len(files) == 1
    stored = files[0]
    static = Path(documents_app.static_folder or "").resolve()
    assert static not in stored.resolve().parents
    assert stored.is_relative_to(Path(documents_app.instance_path).resolve() / "documents")
    assert "evil" not in str(stored) and public_id not in str(stored)
    assert stored.stat().st_mode & 0o777 == 0o600
    assert documents_app.test_client().get(f"/static/{stored.name}").status_code == 404


def test_another_person_gets_not_found(ahmed: FlaskClient, rajesh: FlaskClient) -> None:
    public_id = upload(ahmed, pdf_bytes(), "mine.pdf").get_json()["public_id"]
    theirs = rajesh.get(f"/documents/{public_id}")
    unknown = rajesh.get("/documents/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert theirs.status_code == unknown.status_code == 404
    assert pdf_bytes() not in theirs.data


def test_someone_signed_out_is_sent_to_sign_in_whether_or_not_the_document_exists(
    documents_app: Flask, ahmed: FlaskClient
) -> None:
    public_id = upload(ahmed, pdf_bytes(), "mine.pdf").get_json()["public_id"]
    stranger = documents_app.test_client()
    existing = stranger.get(f"/documents/{public_id}")
    unknown = stranger.get("/documents/AAAAAAAAAAAAAAAAAAAAAAAA")
    assert existing.status_code == unknown.status_code == 303
    assert "/account/sign-in" in existing.headers["Location"]


def test_path_traversal_looking_ids_are_not_found(ahmed: FlaskClient) -> None:
    upload(ahmed, pdf_bytes(), "mine.pdf")
    for path in [
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/%2e%2e%2f%2e%2e%2fsecret",
        "/documents/..",
        "/documents/%2e%2e",
        "/documents/..%5c..%5cwindows",
        "/documents/..%5c..%5c" + "A" * 24,
        "/documents/AAAA",
        "/documents/" + "A" * 200,
        "/documents/AAAAAAAAAAAAAAAAAAAAAAAA%00",
    ]:
        assert ahmed.get(path).status_code == 404, path


def test_a_document_whose_file_is_gone_is_not_found_rather_than_an_error(
    documents_app: Flask, ahmed: FlaskClient
) -> None:
    public_id = upload(ahmed, pdf_bytes(), "mine.pdf").get_json()["public_id"]
    for path in _stored_files(documents_app):
        path.unlink()
    assert ahmed.get(f"/documents/{public_id}").status_code == 404


def test_a_request_over_the_portal_limit_gets_the_413_page(ahmed: FlaskClient) -> None:
    too_big = b"%PDF-" + b"0" * (16 * 1024 * 1024)
    response = upload(ahmed, too_big, "huge.pdf", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)
