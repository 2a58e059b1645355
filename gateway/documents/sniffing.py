"""What a file really is, judged from its bytes alone.

The name and the Content-Type a browser sends are chosen by whoever uploads
the file, so neither can be trusted: an HTML page renamed ``letter.pdf`` would
otherwise be stored and later handed back as a "PDF". Only three formats are
accepted (PDF, JPEG, PNG) and each must start with its signature *and* show
enough of its structure to refuse a bare signature glued onto something else.

Limits, on purpose: this is a sniff, not a parser. A file that passes is
shaped like a PDF, JPEG or PNG; it may still be damaged, or a PDF may still
hold active content (JavaScript, attachments) for a PDF reader to deal with.
A carefully built polyglot that is a valid PDF and also something else can
pass; that is why documents are always served as attachments with the sniffed
type and ``X-Content-Type-Options: nosniff``, so a browser never renders them
as a page of the portal.
"""

from __future__ import annotations

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ACCEPTED_TYPES = (PDF, JPEG, PNG)

EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
"""The file name extensions that fit each type (the first is used when one must be added)."""

PDF_SIGNATURE = b"%PDF-"
PDF_TRAILER = b"%%EOF"
PDF_TRAILER_WINDOW = 1024
"""``%%EOF`` must be in the last KiB: the end of a PDF, allowing for trailing whitespace or padding."""

JPEG_SIGNATURE = b"\xff\xd8\xff"
JPEG_END = b"\xff\xd9"
JPEG_START_OF_SCAN = 0xDA
JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers SOF0..SOF15; C4 (Huffman tables), C8 (reserved), CC (arithmetic tables) are not frames."""
JPEG_STANDALONE_MARKERS = frozenset(range(0xD0, 0xD8)) | {0x01}
"""Markers with no length field (restart markers and TEM)."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IHDR = b"\x00\x00\x00\x0dIHDR"
"""The first chunk of every PNG: a 13-byte IHDR, right after the signature."""
PNG_IEND = b"IEND"


def sniff(data: bytes) -> str | None:
    """The content type of ``data`` (one of :data:`ACCEPTED_TYPES`), or ``None`` if it is none of them."""
    if data.startswith(PDF_SIGNATURE):
        return PDF if _looks_like_pdf(data) else None
    if data.startswith(PNG_SIGNATURE):
        return PNG if _looks_like_png(data) else None
    if data.startswith(JPEG_SIGNATURE):
        return JPEG if _looks_like_jpeg(data) else None
    return None


def _looks_like_pdf(data: bytes) -> bool:
    """A PDF ends with ``%%EOF``; a page that merely starts with ``%PDF-`` usually does not."""
    return PDF_TRAILER in data[-PDF_TRAILER_WINDOW:]


def _looks_like_png(data: bytes) -> bool:
    """IHDR first, with a non-zero width and height, and an IEND chunk to close the image."""
    header_end = len(PNG_SIGNATURE) + len(PNG_IHDR)
    if data[len(PNG_SIGNATURE) : header_end] != PNG_IHDR or len(data) < header_end + 13:
        return False
    width = int.from_bytes(data[header_end : header_end + 4], "big")
    height = int.from_bytes(data[header_end + 4 : header_end + 8], "big")
    return width > 0 and height > 0 and PNG_IEND in data[header_end:]


def _looks_like_jpeg(data: bytes) -> bool:
    """Walk the marker segments up to the image data: a real JPEG declares a frame (SOF) first.

    The walk follows each segment's length, so a file that is ``FF D8 FF``
    followed by anything else falls off the structure and is refused; the
    file must also end with the end-of-image marker (zero padding allowed),
    which refuses most truncated uploads.
    """
    position = 2
    seen_frame = False
    while position + 1 < len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker in JPEG_STANDALONE_MARKERS:
            position += 2
            continue
        if position + 4 > len(data):
            return False
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            return False
        if marker in JPEG_FRAME_MARKERS:
            seen_frame = True
        if marker == JPEG_START_OF_SCAN:
            return seen_frame and data.rstrip(b"\x00").endswith(JPEG_END)
        position += 2 + length
    return False
