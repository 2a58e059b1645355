"""Making a person's file name safe to keep, show and hand back in a header.

A browser sends whatever name the file had on the person's computer, or
whatever an attacker types: ``../../etc/passwd``, a NUL byte to cut a name
short, or a right-to-left override that makes ``invoice\\u202efdp.exe`` look
like ``invoiceexe.pdf``. The name is only a label (the file is stored under a
server-made key), but it is displayed and used as the download name, so it is
reduced to its last path part with every control, format and bidi character
removed.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from .sniffing import EXTENSIONS

MAX_NAME_LENGTH = 120
FALLBACK_NAME = "document"
REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (which holds the bidi overrides and zero-width characters), surrogate, private, unassigned."""
WHITESPACE = re.compile(r"\s+")


def sanitise_file_name(name: str | None) -> str:
    """The last path part of ``name``, printable, trimmed, at most :data:`MAX_NAME_LENGTH` characters."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(" " if char in "\t\n\r" else char for char in text)
    text = "".join(char for char in text if unicodedata.category(char) not in REMOVED_CATEGORIES)
    text = WHITESPACE.sub(" ", text).strip(" .")
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            text = text[:MAX_NAME_LENGTH].rstrip(" .")
    return text or FALLBACK_NAME


def download_name(original_name: str, content_type: str) -> str:
    """The name to offer on download: the original, with an extension that matches the real type.

    ``report.html`` that is really a PDF is offered as ``report.html.pdf``, so
    the person's computer opens it with a PDF reader, not a browser.
    """
    name = sanitise_file_name(original_name)
    extensions = EXTENSIONS.get(content_type, ())
    if extensions and not name.lower().endswith(extensions):
        name += extensions[0]
    return name


def content_disposition(name: str) -> str:
    """An ``attachment`` header with an ASCII fallback and the exact name in RFC 5987 form.

    Quotes, backslashes and anything outside printable ASCII become ``_`` in
    the fallback; ``filename*`` percent-encodes every byte that is not
    unreserved, so no character of the name can end the header value early.
    """
    fallback = "".join(char if 0x20 <= ord(char) < 0x7F and char not in '"\\%;' else "_" for char in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
