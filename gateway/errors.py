"""Error pages in the visitor's language, and JSON errors for JSON clients.

Every HTTP error gets a page with the layout (so a lost visitor can still
navigate) or, for API and machine clients, ``{"error": {...}}``. An unexpected
exception is logged with the request id and shown as a plain 500 page that
reveals nothing of the fault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger("gateway.errors")

UNEXPECTED_ERROR_LISTENERS = "gateway.unexpected_error_listeners"
"""``app.extensions`` key: callables told of each unexpected exception before its 500 page (see
:func:`on_unexpected_error`); a failing listener is logged, never shown."""

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The upload is too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("This service is temporarily unavailable"),
}
MESSAGES = {
    400: _l("Please check what you entered and try again."),
    403: _l("If you think you should have access, sign in with the right account or contact support."),
    404: _l("The address may be mistyped, or the page may have moved. Start again from the home page."),
    405: _l("Please go back and use the buttons on the page."),
    413: _l("Please choose a smaller file and try again."),
    429: _l("Please wait a moment before trying again."),
    500: _l("Your saved information is safe. Please try again in a few minutes."),
    503: _l("Please try again later. Other services of the portal are still available."),
}
CSRF_MESSAGE = _l("The form has expired. Please go back, reload the page and try again.")
GENERIC_TITLE = _l("Something went wrong")


def wants_json() -> bool:
    """API paths, JSON requests and clients that prefer JSON get JSON errors."""
    if request.path.startswith(("/api/", "/-/")) or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(code: int, title: str, message: str, name: str) -> Response:
    if wants_json():
        response = jsonify(error={"code": code, "name": name, "title": title, "message": message})
    else:
        response = make_response(render_template("errors/error.html", code=code, title=title, message=message))
    response.status_code = code
    return response


def handle_http_exception(error: HTTPException) -> Response | HTTPException:
    code = error.code or 500
    if code < 400:
        return error
    title = str(TITLES.get(code, GENERIC_TITLE))
    message = str(MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500]))
    if isinstance(error, CSRFError):
        message = str(CSRF_MESSAGE)
    name = (error.name or "error").lower().replace(" ", "_")
    response = error_response(code, title, message, name)
    original_headers = dict(error.get_headers())
    for header in ("Retry-After", "Allow"):
        if header in original_headers:
            response.headers[header] = original_headers[header]
    return response


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
        return handle_http_exception(error)  # type: ignore[return-value]
    original = getattr(error, "original_exception", None) or error
    logger.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    for listener in current_app.extensions.get(UNEXPECTED_ERROR_LISTENERS, []):
        try:
            listener(original)
        except Exception:
            logger.exception("a listener of unexpected errors failed")
    try:
        return error_response(500, str(TITLES[500]), str(MESSAGES[500]), "internal_server_error")
    except Exception:
        logger.exception("the error page failed too")
        return "Internal Server Error / خطأ داخلي", 500


def on_unexpected_error(app: Flask, listener: Callable[[BaseException], None]) -> None:
    """Call ``listener`` with every unexpected exception of a request, before its 500 page."""
    app.extensions.setdefault(UNEXPECTED_ERROR_LISTENERS, []).append(listener)


def init_errors(app: Flask) -> None:
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
