"""Deeply nested JSON is refused with a 400 before anything parses it.

Python's ``json`` parser recurses once per level of arrays and objects, so a
body such as ``"[" * 100000 + "]" * 100000`` raises ``RecursionError`` — a 500
— wherever it is parsed: the API, the calculations API, a payment callback,
a plugin's view. One request-level guard covers them all: before any view
runs, a body that is JSON (a JSON media type, or any non-form body starting
with ``[`` or ``{``) is scanned once, in linear time and without recursion,
and if it is nested deeper than ``JSON_MAX_DEPTH`` the answer is a 400 in the
client's language, as JSON (the format the client sent), naming the limit. Nothing parses it.
"""

from __future__ import annotations

import re

from flask import Flask, Response, jsonify, request
from flask_babel import lazy_gettext as _l

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_MEDIA_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
_SPECIAL = re.compile(rb'["\\\[\]{}]')
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENING = frozenset(b"[{")
_CLOSING = frozenset(b"]}")
TOO_DEEP_TITLE = _l("The request could not be understood")
TOO_DEEP = _l("The JSON body is nested too deeply: at most %(depth)s levels of arrays and objects are accepted.")


def nested_deeper_than(data: bytes, limit: int) -> bool:
    """Whether the JSON text ``data`` opens more than ``limit`` arrays or objects at once (strings skipped)."""
    depth = 0
    in_string = False
    skip = -1
    for match in _SPECIAL.finditer(data):
        position = match.start()
        if position == skip:
            continue  # the character after a backslash inside a string
        character = data[position]
        if in_string:
            if character == _BACKSLASH:
                skip = position + 1
            elif character == _QUOTE:
                in_string = False
        elif character == _QUOTE:
            in_string = True
        elif character in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif character in _CLOSING:
            depth -= 1
    return False


def _looks_like_json() -> bool:
    if request.method not in BODY_METHODS or request.mimetype in FORM_MEDIA_TYPES:
        return False
    if request.is_json:
        return True
    start = request.get_data(cache=True)[:64].lstrip()
    return start[:1] in (b"[", b"{")


def init_json_depth_guard(app: Flask) -> None:
    """Refuse JSON bodies nested deeper than ``GATEWAY_JSON_MAX_DEPTH`` on every route (400)."""

    @app.before_request
    def refuse_deeply_nested_json() -> Response | None:
        if not _looks_like_json():
            return None
        limit: int = app.config["GATEWAY_JSON_MAX_DEPTH"]
        if not nested_deeper_than(request.get_data(cache=True), limit):
            return None
        # JSON whatever the client accepts: it sent JSON (a browser's forms never do).
        error = {"code": 400, "name": "json_too_deep", "title": str(TOO_DEEP_TITLE)}
        response = jsonify(error={**error, "message": str(TOO_DEEP % {"depth": limit})})
        response.status_code = 400
        return response
