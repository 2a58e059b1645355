"""The type of a file comes from its bytes; names are cleaned before they are kept or sent back."""

from __future__ import annotations

import pytest

from gateway.documents.names import content_disposition, download_name, sanitise_file_name
from gateway.documents.sniffing import JPEG, PDF, PNG, sniff
from tests.documents.conftest import jpeg_bytes, pdf_bytes, png_bytes


def test_real_pdf_jpeg_and_png_are_recognised() -> None:
    assert sniff(pdf_bytes()) == PDF
    assert sniff(jpeg_bytes()) == JPEG
    assert sniff(png_bytes()) == PNG


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', id="svg"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 100, id="zip"),
        pytest.param(b"MZ\x90\x00" + b"\x00" * 100 + b"This program cannot be run in DOS mode", id="exe"),
        pytest.param(b"<html>" + pdf_bytes(), id="html-then-pdf-polyglot"),
        pytest.param(b" " + pdf_bytes(), id="pdf-not-at-start"),
        pytest.param(b"%PDF-1.4\n<html><script>alert(1)</script></html>" + b" " * 2000, id="pdf-signature-on-html"),
        pytest.param(b"%PDF-1.4\n%%EOF" + b"<html>" * 400, id="pdf-eof-not-at-end"),
        pytest.param(b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", id="png-signature-without-ihdr"),
        pytest.param(png_bytes()[:40], id="png-truncated"),
        pytest.param(b"\xff\xd8\xff<html><script>alert(1)</script></html>\xff\xd9", id="jpeg-signature-on-html"),
        pytest.param(jpeg_bytes()[:-2], id="jpeg-without-end-marker"),
        pytest.param(jpeg_bytes().replace(b"\xff\xc0", b"\xff\xe1"), id="jpeg-without-frame"),
        pytest.param(b"", id="empty"),
        pytest.param(b"GIF89a\x01\x00\x01\x00", id="gif"),
    ],
)
def test_everything_else_is_refused(data: bytes) -> None:
    assert sniff(data) is None


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ahmed\\Desktop\\passport.pdf", "passport.pdf"),
        ("/var/www/static/x.png", "x.png"),
        ("passport\x00.exe.pdf", "passport.exe.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2067photo\u2069\u200f.jpg", "photo.jpg"),
        ("line\r\nbreak.pdf", "line break.pdf"),
        ("..", "document"),
        ("...hidden", "hidden"),
        ("", "document"),
        (None, "document"),
        ("جواز السفر.pdf", "جواز السفر.pdf"),
    ],
)
def test_file_names_are_reduced_to_a_safe_label(given: str | None, kept: str) -> None:
    assert sanitise_file_name(given) == kept


def test_long_names_keep_their_extension() -> None:
    name = sanitise_file_name("a" * 500 + ".pdf")
    assert len(name) == 120
    assert name.endswith("aaa.pdf")


def test_the_download_name_always_carries_the_real_type() -> None:
    assert download_name("report.html", PDF) == "report.html.pdf"
    assert download_name("photo.JPEG", JPEG) == "photo.JPEG"
    assert download_name("scan", PNG) == "scan.png"


def test_the_content_disposition_cannot_be_broken_out_of() -> None:
    header = content_disposition('a"; filename=evil.html; x=\\.pdf')
    assert header.startswith("attachment; filename=\"a__ filename=evil.html_ x=_.pdf\"; filename*=UTF-8''")
    assert header.count('"') == 2
    arabic = content_disposition("جواز.pdf")
    assert arabic == ("attachment; filename=\"____.pdf\"; filename*=UTF-8''%D8%AC%D9%88%D8%A7%D8%B2.pdf")
