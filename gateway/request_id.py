"""A request id on every request, in the logs and in the ``X-Request-ID`` header.

A citizen who reports a problem can quote it and an operator can find the
matching log lines. An id sent by the load balancer is kept if it looks sane.
"""

from __future__ import annotations

import logging
import re
import secrets

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def request_id_for(offered: str) -> str:
    """The id offered by the load balancer if it looks sane, else a new one."""
    return offered if _ACCEPTABLE.match(offered) else secrets.token_hex(8)


def init_request_id(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        g.request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER, ""))

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response
