"""A signed-in person's busiest pages, rendered once and reused until something on them changes.

Why: the dashboard is what a person opens most, and rendering it (four
queries, twenty rows, the layout, every label translated) costs several
milliseconds of CPU, while the data behind it changes rarely. With sessions
in Redis (``REDIS_URL``) and ``PAGE_CACHE_SECONDS`` > 0, a view decorated
with :func:`cached_for_person` is rendered once per session and language and
then served from Redis (by the middleware in :mod:`.fastpath`, before Flask)
until a change to one of the watched rows (see :mod:`.changes`) makes it
stale, or ``PAGE_CACHE_SECONDS`` pass. Without Redis every request renders,
exactly as before.

What keeps a reused page right:

- its tag is the data version read *before* rendering (see :mod:`.store`),
  so a page is never served past a committed change;
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
from ..sessions import SESSIONS_EXTENSION, GatewaySession, GatewaySessionInterface, RedisSessionStore
from .changes import CHANGED_PEOPLE_OPTION, watch_changes
from .fastpath import LOOKUP_ENVIRON_KEY, PAGE_NAME_ATTRIBUTE, UNAVAILABLE, CachedPages, cacheable_person
from .store import Lookup, PageCache, PageKey

__all__ = [
    "CHANGED_PEOPLE_OPTION",
    "PAGE_CACHE_EXTENSION",
    "CachedPages",
    "PageCache",
    "PageKey",
    "cached_for_person",
    "init_page_cache",
]

logger = logging.getLogger("gateway.pagecache")

PAGE_CACHE_EXTENSION = "gateway.pagecache"

View = TypeVar("View", bound=Callable[..., Any])


def init_page_cache(
    app: Flask, session_factory: sessionmaker[Session], watched: Mapping[type[Any], str], code_versions: list[str]
) -> None:
    """Turn the cache on when sessions are in Redis; ``watched`` maps each model a cached page shows to its person id.

    Call it last in ``create_app``: its middleware goes around the finished app.
    """
    lifetime = int(app.config["GATEWAY_PAGE_CACHE_SECONDS"])
    interface = app.extensions.get(SESSIONS_EXTENSION)
    if not lifetime or not isinstance(interface, GatewaySessionInterface):
        return
    if not isinstance(interface.store, RedisSessionStore):
        return  # sessions in the database (no REDIS_URL): every request renders
    database_url = session_factory.kw["bind"].url.render_as_string(hide_password=True)
    namespace = hashlib.sha256("\0".join([str(app.secret_key), database_url, *code_versions]).encode()).hexdigest()
    cache = PageCache(interface.store, namespace=namespace[:16], lifetime_seconds=lifetime)
    watch_changes(session_factory, cache, watched)
    try:
        cache.everyone_changed()  # a new start: a restored database or a changed template must not meet old pages
    except Exception:
        logger.warning("Redis did not answer at start-up; pages are made stale when it does", exc_info=True)
    app.extensions[PAGE_CACHE_EXTENSION] = cache
    app.wsgi_app = CachedPages(app, app.wsgi_app, cache, interface)  # type: ignore[method-assign]


def cached_for_person(name: str) -> Callable[[View], View]:
    """Store the decorated ``GET`` view's page under ``name`` and serve it while current.

    Put it outside the sign-in guard. Hits are normally answered by the
    middleware before Flask; this path serves the rest (a session due for
    its idle refresh) and stores what it renders.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def cached(*args: Any, **kwargs: Any) -> Any:
            cache: PageCache | None = current_app.extensions.get(PAGE_CACHE_EXTENSION)
            found = _page_key(name) if cache is not None else None
            if cache is None or found is None:
                return view(*args, **kwargs)
            key, person_id = found
            try:
                lookup = _lookup(cache, key)
            except Exception:  # Redis is down: render as if there were no cache
                logger.warning("page cache unavailable; rendering %s", name, exc_info=True)
                return view(*args, **kwargs)
            if lookup is None:  # the middleware already found Redis down on this request
                return view(*args, **kwargs)
            if lookup.body is not None and lookup.person_id == person_id:
                return Response(lookup.body, mimetype="text/html")
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and response.mimetype == "text/html" and not response.is_streamed:
                try:
                    cache.write(key, lookup.tag, person_id, response.get_data())
                except Exception:
                    logger.warning("could not store %s in the page cache", name, exc_info=True)
            return response

        setattr(cached, PAGE_NAME_ATTRIBUTE, name)
        return cast(View, cached)

    return decorate


def _lookup(cache: PageCache, key: PageKey) -> Lookup | None:
    """What the middleware read for this very page, or a fresh read (taken before the view reads the database).

    ``None`` when the middleware could not reach Redis on this request.
    """
    found = request.environ.get(LOOKUP_ENVIRON_KEY)
    if found == UNAVAILABLE:
        return None
    if isinstance(found, Lookup) and found.key == key:
        return found
    return cache.lookup(key)


def _page_key(name: str) -> tuple[PageKey, int] | None:
    """This request's entry and person, or ``None`` when the page must be rendered (see the module docstring)."""
    if not isinstance(session, GatewaySession) or session.record is None or request.query_string:
        return None
    person_id = cacheable_person(session, current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if person_id is None:
        return None
    return PageKey(name, language_code(), session.record.token_hash), person_id
