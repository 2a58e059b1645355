"""Rate limits on the endpoints people could hammer: sign-in, registration, codes.

Flask-Limiter counts requests per network address (the real client's, once
``ProxyFix`` has read ``X-Forwarded-For``), in process memory by default or in
Redis when ``GATEWAY_REDIS_URL`` is set, so that several workers share one
count. A view opts in with ``@limit("GATEWAY_RATE_LIMIT_SIGNIN")``; the rate is
read from the app's configuration at request time. A request over the limit
gets 429 with ``Retry-After``, rendered by the host's error pages.

Views are declared once at import time but every app has its own limiter
(tests build many apps), so the decorator finds the current app's limiter
when the view is called and wraps the view for that limiter on first use.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

LIMITER_EXTENSION = "gateway.limiter"
_WRAPPED_VIEWS = "gateway.limiter.views"
_LOCK = "gateway.limiter.lock"
REDIS_KEY_PREFIX = "bawaba:limits"
GLOBAL_LIMIT_KEYS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
"""Flask-Limiter's limits on every request: none by default; when one is configured its check stays."""

F = TypeVar("F", bound=Callable[..., Any])


def init_rate_limits(app: Flask) -> Limiter:
    """Give ``app`` its own limiter; call before the first request.

    No limit applies until a view asks for one. ``RATELIMIT_*`` keys in the
    app's config (e.g. ``RATELIMIT_ENABLED=False``) still reach Flask-Limiter.
    Calling it again returns the app's existing limiter.
    """
    existing = app.extensions.get(LIMITER_EXTENSION)
    if isinstance(existing, Limiter):
        return existing
    redis_url = app.config.get("GATEWAY_REDIS_URL")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(
        get_remote_address,
        storage_uri=redis_url or "memory://",
        storage_options={"key_prefix": REDIS_KEY_PREFIX} if redis_url else {},
        # If Redis goes away, count in this process rather than answer every request with a 500.
        in_memory_fallback_enabled=bool(redis_url),
        strategy="fixed-window",
    )
    limiter.init_app(app)
    if not any(app.config.get(name) for name in GLOBAL_LIMIT_KEYS):
        # Every limit here is a view's own, checked by that view's decorator. Flask-Limiter's check
        # before every request would look for default limits and find none, at a cost on every page.
        app.before_request_funcs[None].remove(limiter._check_request_limit)
    app.extensions[LIMITER_EXTENSION] = limiter
    app.extensions[_WRAPPED_VIEWS] = {}
    app.extensions[_LOCK] = threading.Lock()
    return limiter


def limit(rate_config_key: str, *, methods: Sequence[str] | None = None) -> Callable[[F], F]:
    """Limit a view to the rate in ``app.config[rate_config_key]`` (e.g. ``"10/minute;100/hour"``) per address.

    ``methods`` (e.g. ``["POST"]``) counts only those requests, so showing a
    form costs nothing and only submitting it does.
    """
    only = tuple(method.upper() for method in methods) if methods else None

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def limited_view(*args: Any, **kwargs: Any) -> Any:
            return _limited_for_current_app(view, rate_config_key, only)(*args, **kwargs)

        return cast(F, limited_view)

    return decorator


def _limited_for_current_app(
    view: Callable[..., Any], rate_config_key: str, methods: tuple[str, ...] | None
) -> Callable[..., Any]:
    app = current_app
    wrapped: dict[tuple[Any, ...], Callable[..., Any]] | None = app.extensions.get(_WRAPPED_VIEWS)
    if wrapped is None:
        raise RuntimeError("rate limits are not set up: call init_rate_limits(app) in create_app")
    key = (view, rate_config_key, methods)
    if key not in wrapped:
        with app.extensions[_LOCK]:
            if key not in wrapped:
                limiter: Limiter = app.extensions[LIMITER_EXTENSION]
                rate = functools.partial(_configured_rate, rate_config_key)
                wrapped[key] = limiter.limit(rate, methods=list(methods) if methods else None)(view)
    return wrapped[key]


def _configured_rate(rate_config_key: str) -> str:
    return str(current_app.config[rate_config_key])


def limit_plugin_view(
    view: Callable[..., Any], key: str, rate: Callable[[], str], methods: tuple[str, ...] | None
) -> Callable[..., Any]:
    """``view`` limited per address to ``rate()`` (a plugin's setting), for ``sdk.rate_limit`` (SDK 0.6)."""
    app = current_app
    wrapped: dict[tuple[Any, ...], Callable[..., Any]] | None = app.extensions.get(_WRAPPED_VIEWS)
    if wrapped is None:
        raise RuntimeError("rate limits are not set up: call init_rate_limits(app) in create_app")
    cache_key = (view, key, methods)
    if cache_key not in wrapped:
        with app.extensions[_LOCK]:
            if cache_key not in wrapped:
                limiter: Limiter = app.extensions[LIMITER_EXTENSION]
                wrapped[cache_key] = limiter.limit(rate, methods=list(methods) if methods else None)(view)
    return wrapped[cache_key]
