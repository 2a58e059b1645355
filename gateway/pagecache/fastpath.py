"""Answering a cached page before Flask: one Redis round trip for the session, the tag and the page.

Why in front of Flask: once a page is cached, what is left of a request in
Flask (its contexts, the session opened and checked in one round trip and the
page read in another, hooks that look for work they will not find) costs
more than everything else together. This WSGI middleware does only what a
hit needs, with the same rules and the same answer:

- only ``GET`` of a path whose view is decorated with ``cached_for_person``,
  without a query string, with a well-formed session cookie;
- the session comes from the same ``MGET`` as the page and is checked by the
  session interface's own rules (expired, idle); when its idle timer is due
  for a refresh, Flask serves the request so the session is saved as usual;
- it must be signed in, hold its CSRF token and no waiting messages, and be
  the session of the person the page was made for;
- the answer carries the headers Flask's hooks would add (security headers,
  ``Vary``, ``X-Request-ID``); a test compares the two answers.

Anything else, and any error, goes to Flask unchanged, with what was read
left in the environ so the view does not read it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from ..i18n import LANGUAGE_COOKIE, choose_language
from ..identity.current import PERSON_KEY
from ..personal_pages import NO_STORE_HEADERS
from ..request_id import REQUEST_ID_HEADER, request_id_for
from ..security_headers import security_headers
from ..sessions import GatewaySessionInterface
from ..sessions.interface import TOKEN_PATTERN
from ..sessions.store import hash_token, utcnow
from .store import Lookup, PageCache, PageKey

logger = logging.getLogger("gateway.pagecache")

PAGE_NAME_ATTRIBUTE = "page_cache_name"
"""Set on a view by ``cached_for_person``: the name its pages are stored under."""
LOOKUP_ENVIRON_KEY = "bawaba.pagecache.lookup"
UNAVAILABLE = "unavailable"
"""Left in the environ instead of a lookup when Redis did not answer the middleware."""
FLASHES_KEY = "_flashes"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def cacheable_person(data: Mapping[str, Any], csrf_field: str) -> int | None:
    """The signed-in person whose page this session may store and be served, or ``None``.

    Signed in, holding its CSRF token (a page rendered before the session had one would make it, and
    two renders at once could store different ones) and no messages waiting to be flashed. The one
    rule for both the middleware and the view decorator.
    """
    person_id = data.get(PERSON_KEY)
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        return None
    if csrf_field not in data or FLASHES_KEY in data:
        return None
    return person_id


class CachedPages:
    """WSGI middleware serving current cached pages; everything else goes to ``wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app: WsgiApp, cache: PageCache, sessions: GatewaySessionInterface) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.sessions = sessions
        self.cookie_name = str(app.config["SESSION_COOKIE_NAME"])
        self.csrf_field = str(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        self.default_language = str(app.config["GATEWAY_DEFAULT_LANGUAGE"])
        self._paths: dict[str, str] | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING"):
            name = self.page_names().get(environ.get("PATH_INFO", ""))
            if name is not None:
                answer = self._answer(environ, name)
                if answer is not None:
                    headers, body = answer
                    start_response("200 OK", headers)
                    return [body]
        return self.wsgi_app(environ, start_response)

    def page_names(self) -> dict[str, str]:
        """Path -> page name of every cached view (read from the URL map once, when it is complete)."""
        if self._paths is None:
            paths = {}
            for rule in self.app.url_map.iter_rules():
                name = getattr(self.app.view_functions.get(rule.endpoint), PAGE_NAME_ATTRIBUTE, None)
                if name is not None and not rule.arguments and "GET" in (rule.methods or ()):
                    paths[rule.rule] = name
            self._paths = paths
        return self._paths

    def _answer(self, environ: dict[str, Any], name: str) -> tuple[list[tuple[str, str]], bytes] | None:
        cookies = parse_cookie(environ)
        token = cookies.get(self.cookie_name, "")
        if not TOKEN_PATTERN.match(token):
            return None
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        language = choose_language(cookies.get(LANGUAGE_COOKIE, ""), accepted, self.default_language)
        key = PageKey(name, language, hash_token(token))
        try:
            lookup = self.cache.lookup(key, with_session=True)
        except Exception:  # Redis is down: Flask answers, and says so (once: the view does not try again)
            logger.warning("page cache unavailable", exc_info=True)
            environ[LOOKUP_ENVIRON_KEY] = UNAVAILABLE
            return None
        environ[LOOKUP_ENVIRON_KEY] = lookup
        if lookup.body is None or not self._may_serve(lookup):
            return None
        body = lookup.body
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *security_headers(bool(self.app.config.get("SESSION_COOKIE_SECURE"))),
            *NO_STORE_HEADERS,
            ("Vary", "Accept-Language, Cookie"),
            (REQUEST_ID_HEADER, request_id_for(environ.get("HTTP_X_REQUEST_ID", ""))),
        ]
        return headers, body

    def _may_serve(self, lookup: Lookup) -> bool:
        """The session's own rules, then the page's: see the module docstring."""
        record = self.cache.sessions.parse(lookup.key.session, lookup.session_record)
        if record is None:
            return False
        now = utcnow()
        if self.sessions.is_expired(record, now) or now - record.last_seen_at >= self.sessions.refresh_after:
            return False
        person_id = cacheable_person(record.data, self.csrf_field)
        return person_id is not None and person_id == record.person_id == lookup.person_id
