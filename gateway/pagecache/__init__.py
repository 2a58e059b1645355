"""A signed-in person's busiest pages, rendered once and reused until something on them changes.

Why: the dashboard is what a person opens most, and rendering it (four
queries, twenty rows, the layout, every label translated) costs several
milliseconds of CPU, while the data behind it changes rarely. With Redis
configured (``REDIS_URL``) and ``PAGE_CACHE_SECONDS`` > 0, a view decorated
with :func:`cached_for_person` is rendered once per person and language and
then served from Redis until a change to one of the watched rows (see
:mod:`.changes`) makes it stale, or ``PAGE_CACHE_SECONDS`` pass. Without
Redis every request renders, exactly as before.

What keeps a reused page right:

- its tag is the person's data version read *before* rendering (see
  :mod:`.store`), so a page is never served past a committed change;
- it is stored per session, so the CSRF token in its forms is always
  that session's own (signing in again starts new entries), and only once
  the session has its token (two first renders at once would make two);
- it is used only for a plain ``GET`` of the page (no query string) by a
  signed-in session with no messages waiting to be flashed, and only a
  200 HTML answer is stored;
- keys carry a namespace made of the secret key, the database and the code's
  versions (host and plugins), so two portals or two releases sharing a
  Redis never see each other's pages; each start of the app bumps the epoch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, make_response, request, session
from sqlalchemy.orm import Session, sessionmaker

from ..i18n import language_code
from ..identity.current import PERSON_KEY
from ..sessions import GatewaySession
from .changes import CHANGED_PEOPLE_OPTION, watch_changes
from .store import PageCache, PageKey

__all__ = [
    "CHANGED_PEOPLE_OPTION",
    "PAGE_CACHE_EXTENSION",
    "PageCache",
    "PageKey",
    "cached_for_person",
    "init_page_cache",
]

logger = logging.getLogger("gateway.pagecache")

PAGE_CACHE_EXTENSION = "gateway.pagecache"
FLASHES_KEY = "_flashes"
REDIS_TIMEOUT_SECONDS = 2

View = TypeVar("View", bound=Callable[..., Any])


def init_page_cache(
    app: Flask, session_factory: sessionmaker[Session], watched: Mapping[type, str], code_versions: list[str]
) -> None:
    """Turn the cache on when Redis is configured; ``watched`` maps each model a cached page shows to its person id."""
    lifetime = int(app.config["GATEWAY_PAGE_CACHE_SECONDS"])
    redis_url = app.config.get("GATEWAY_REDIS_URL")
    if not lifetime or not redis_url:
        return
    import redis

    client = redis.Redis.from_url(
        redis_url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
    database_url = session_factory.kw["bind"].url.render_as_string(hide_password=True)
    secret_key = str(app.secret_key)
    namespace = hashlib.sha256("\0".join([secret_key, database_url, *code_versions]).encode()).hexdigest()[:16]
    cache = PageCache(client, namespace=namespace, lifetime_seconds=lifetime)
    watch_changes(session_factory, cache, watched)
    try:
        cache.everyone_changed()  # a new start: a restored database or a changed template must not meet old pages
    except redis.RedisError:
        logger.warning("Redis did not answer at start-up; cached pages are made stale as soon as it does")
    app.extensions[PAGE_CACHE_EXTENSION] = cache


def cached_for_person(name: str) -> Callable[[View], View]:
    """Serve the decorated ``GET`` view from the page cache (put it outside the sign-in guard)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def cached(*args: Any, **kwargs: Any) -> Any:
            cache: PageCache | None = current_app.extensions.get(PAGE_CACHE_EXTENSION)
            key = _page_key(name) if cache is not None else None
            if cache is None or key is None:
                return view(*args, **kwargs)
            try:
                html, tag = cache.read(key)
            except Exception:  # Redis is down: render as if there were no cache
                logger.warning("page cache unavailable; rendering %s", name, exc_info=True)
                return view(*args, **kwargs)
            if html is not None:
                return Response(html, mimetype="text/html")
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and response.mimetype == "text/html" and not response.is_streamed:
                try:
                    cache.write(key, tag, response.get_data(as_text=True))
                except Exception:
                    logger.warning("could not store %s in the page cache", name, exc_info=True)
            return response

        return cast(View, cached)

    return decorate


def _page_key(name: str) -> PageKey | None:
    """This request's entry, or ``None`` when the page must be rendered (see the module docstring)."""
    if not isinstance(session, GatewaySession) or session.record is None or request.query_string:
        return None
    person_id = session.get(PERSON_KEY)
    if not isinstance(person_id, int) or FLASHES_KEY in session:
        return None
    if current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in session:
        return None  # its token would be made by this render: two at once could store different ones
    return PageKey(name, person_id, language_code(), session.record.token_hash)
