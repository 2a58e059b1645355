"""One response policy for personal pages: a browser, a proxy or a shared computer never keeps them.

Every response to a signed-in person or member of staff, to a browser in the
middle of a sign-in, registration or recovery (the pages show a masked mobile,
a name from the registry), and to a request carrying an ``Authorization``
header (the API's bearer tokens) gets ``Cache-Control: no-store`` and
``Pragma: no-cache`` (for HTTP/1.0 caches): the back button after sign-out, or
the next person at a shared computer, shows nothing of theirs. A view's own
stricter value (``private, no-store``) is kept. Public pages and static files
keep what they have. Pages served by the page cache (:mod:`gateway.pagecache`,
signed-in sessions only) carry :data:`NO_STORE_HEADERS` too.

"Signed in at the start *or* the end of the request" counts, so the answer
to a sign-out or a completed sign-in is covered as well.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, g, request, session

NO_STORE_HEADERS = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))
STATIC_ENDPOINT_SUFFIX = "static"
_PERSONAL_AT_START = "gateway_personal_request"


def _personal_session(signed_in_keys: Iterable[str], flow_prefix: str) -> bool:
    if any(session.get(key) is not None for key in signed_in_keys):
        return True
    return any(str(key).startswith(flow_prefix) for key in session)


def is_personal_request(signed_in_keys: Iterable[str], flow_prefix: str) -> bool:
    """Whether this request's answer is one person's: a signed-in or in-flow session, or a bearer token."""
    if g.get(_PERSONAL_AT_START) or "Authorization" in request.headers:
        return True
    return _personal_session(signed_in_keys, flow_prefix)


def apply_no_store(response: Response) -> None:
    """Forbid storing ``response`` anywhere (a view's own ``no-store`` value is kept as it is)."""
    if "no-store" not in (response.headers.get("Cache-Control") or ""):
        response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


def init_personal_pages(app: Flask, *, signed_in_keys: tuple[str, ...], flow_prefix: str) -> None:
    """``signed_in_keys``: the session keys of a signed-in person or staff member; ``flow_prefix``: of a flow."""

    @app.before_request
    def remember_whether_personal() -> None:
        g.setdefault(_PERSONAL_AT_START, _personal_session(signed_in_keys, flow_prefix))

    @app.after_request
    def no_store_for_personal_pages(response: Response) -> Response:
        endpoint = request.endpoint or ""
        if endpoint.rsplit(".", 1)[-1] == STATIC_ENDPOINT_SUFFIX:
            return response  # the same bytes for everyone, cached as before
        if is_personal_request(signed_in_keys, flow_prefix):
            apply_no_store(response)
        return response
