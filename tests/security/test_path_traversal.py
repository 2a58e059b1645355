"""Path traversal in document downloads, the back office's downloads and the static folder.

Downloads are addressed by a random ``public_id``; the bytes sit under a
different, server-made key. Whatever an attacker puts after ``/documents/``
(dot segments, every encoding of a slash or backslash, NUL, the document's
on-disk key itself) is a 404 that serves no file, and a file name sent with
an upload cannot choose where it is written.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from gateway.documents.models import Document
from gateway.documents.storage import KEY_PATTERN
from tests.musaned.conftest import MINIMAL_PDF
from tests.security.portal import EN, World, text

TRAVERSALS = [
    "..%2f..%2f..%2fetc%2fpasswd",
    "..%252f..%252f..%252fetc%252fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "..%5c..%5c..%5cpyproject.toml",
    "..\\..\\..\\pyproject.toml",
    "....//....//....//etc/passwd",
    "..;/..;/etc/passwd",
    "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
    "..%c0%af..%c0%afetc%c0%afpasswd",
    "%252e%252e%252fetc%252fpasswd",
    "%00",
    "..%00.pdf",
    "%2fetc%2fpasswd",
    "file:%2f%2f%2fetc%2fpasswd",
    "..",
    ".",
    "~root",
]
SECRETS_OF_THE_HOST = (b"root:", b"[project]", b"SQLite format", b"%PDF", b"-----BEGIN")


def served_nothing(response: Any, client: Any = None) -> None:
    """A 404 that served no file; Werkzeug's merging of ``//`` may first redirect, to a path of the portal."""
    if response.status_code == 308 and client is not None:
        location = urlsplit(urljoin("http://localhost/", response.headers["Location"]))
        assert location.netloc == "localhost", location
        response = client.get(location.path, headers=EN)
    assert response.status_code == 404, response.status_code
    assert "Content-Disposition" not in response.headers
    body = response.get_data()
    for marker in SECRETS_OF_THE_HOST:
        assert marker not in body, marker


@pytest.mark.parametrize("tail", TRAVERSALS)
def test_document_download_paths_that_are_not_an_id_are_404(world: World, tail: str) -> None:
    citizen, staff = world.ahmed.client, world.reviewer
    served_nothing(citizen.get(f"/documents/{tail}", headers=EN), citizen)
    served_nothing(citizen.get(f"/documents/{world.ahmed.document}/{tail}", headers=EN), citizen)
    served_nothing(staff.get(f"/backoffice/musaned/documents/{tail}", headers=EN), staff)
    served_nothing(citizen.get(f"/static/{tail}", headers=EN), citizen)


@pytest.mark.parametrize("raw", ["/documents/../../../../etc/passwd", "/static/../../pyproject.toml"])
def test_unnormalised_dot_segments_are_404(world: World, raw: str) -> None:
    served_nothing(world.ahmed.client.get(raw, headers=EN))


def test_the_on_disk_key_and_id_variants_do_not_address_a_document(world: World) -> None:
    with world.db() as db:
        document = db.scalars(select(Document).where(Document.public_id == world.ahmed.document)).one()
        storage_key = document.storage_key
    own = world.ahmed.document
    assert world.ahmed.client.get(f"/documents/{own}").status_code == 200  # the control
    other_case = own.lower() if own != own.lower() else own.upper()
    for variant in (storage_key, f"{own}%00", f"{own}/", f"{own}.pdf", other_case):
        served_nothing(world.ahmed.client.get(f"/documents/{variant}", headers=EN))


def test_an_uploaded_files_name_cannot_choose_where_it_is_written(world: World, tmp_path: Path) -> None:
    storage = Path(world.app.config["GATEWAY_DOCUMENT_STORAGE_PATH"])
    before = {path for path in storage.rglob("*")}
    client = world.noura.client
    base = "/apply/musaned/new_visa/"
    client.get(base)
    client.post(base + "worker", data={"worker_type": "housemaid", "nationality": "PH", "salary": "1500"})
    client.post(
        base + "household",
        data={"household_size": "3", "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh"},
    )
    name = "../../../../../../tmp/bawaba-traversal-\u202efdp.exe/../..\\..\\evil.pdf"
    saved = client.post(
        base + "capacity",
        data={"proof_kind": "salary_certificate", "monthly_income": "18000", "proof": (BytesIO(MINIMAL_PDF), name)},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 303, text(saved)
    written = {path for path in storage.rglob("*")} - before
    assert written, "the upload was stored"
    for path in written:
        assert path.resolve().is_relative_to(storage.resolve())
        if path.is_file():
            assert KEY_PATTERN.fullmatch(path.name), path  # named by the server's key, not by the person
    assert not Path("/tmp/bawaba-traversal-\u202efdp.exe").exists()
    with world.db() as db:
        document = db.scalars(select(Document).order_by(Document.id.desc())).first()
        assert document is not None
        assert document.original_name == "evil.pdf"
        public_id = document.public_id
    download = client.get(f"/documents/{public_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith('attachment; filename="evil.pdf"')
