"""Response headers that make every page safer to render.

A strict Content-Security-Policy (no inline script, no third-party origin)
means a piece of text that slips past escaping still cannot run; framing is
refused against click-jacking.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

ALWAYS = [
    (name.lower(), name, value)
    for name, value in (
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    )
]
HSTS = ("strict-transport-security", "Strict-Transport-Security", "max-age=31536000; includeSubDomains")
"""Only where cookies are Secure, i.e. the portal is served over HTTPS."""


def security_headers(secure: bool) -> list[tuple[str, str]]:
    """Every header this module adds, for a response made without Flask (the page cache's)."""
    return [(name, value) for _key, name, value in ALWAYS] + ([(HSTS[1], HSTS[2])] if secure else [])


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # A view may set its own value (the API's CSP, say); one pass over the headers, not one per default.
        headers = response.headers
        present = {name.lower() for name, _value in headers}
        for key, name, value in ALWAYS:
            if key not in present:
                headers.add(name, value)
        if app.config.get("SESSION_COOKIE_SECURE") and HSTS[0] not in present:
            headers.add(HSTS[1], HSTS[2])
        return response
