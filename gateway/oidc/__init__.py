"""The portal as an OpenID Connect provider for apps outside it (issue 3 §7).

``init_oidc(app)`` is imported lazily so that ``gateway.models`` can load this
package's tables without pulling in Authlib's server and the views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from .server import OidcProvider


def init_oidc(app: Flask) -> OidcProvider:
    """Register the provider on ``app`` (see :func:`gateway.oidc.provider.init_oidc`)."""
    from .provider import init_oidc as _init_oidc

    return _init_oidc(app)


__all__ = ["init_oidc"]
