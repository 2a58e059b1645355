"""Rate limits on a plugin's own pages that anyone could hammer (a public verification form).

The host counts requests per network address with the limiter that guards
its sign-in; the rate is one of the plugin's settings (``"10/minute;50/hour"``),
so operators tune it like the host's ``GATEWAY_RATE_LIMIT_*``. A request over
the limit gets the host's 429 page with ``Retry-After``::

    @bp.route("/verify", methods=["GET", "POST"])
    @sdk.rate_limit("gosi", "verify_rate", methods=("POST",))
    def verify(): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from .host import current_host, plugin_settings

F = TypeVar("F", bound=Callable[..., Any])


def rate_limit(program_slug: str, setting: str, *, methods: tuple[str, ...] | None = None) -> Callable[[F], F]:
    """Limit the view to the rate in the plugin's setting ``setting``, per address (``methods``: only those)."""
    only = tuple(method.upper() for method in methods) if methods else None

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            def rate() -> str:
                return str(plugin_settings(program_slug)[setting])

            key = f"{program_slug}:{setting}"
            return current_host().limit_plugin_view(view, key, rate, only)(*args, **kwargs)

        return cast(F, limited)

    return decorator


__all__ = ["rate_limit"]
