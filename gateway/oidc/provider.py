"""Wiring the OpenID Connect provider into one app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import authorize, logout, views
from .keys import KeyStore
from .server import OidcProvider
from .subjects import PairwiseKey
from .views import oidc_blueprint

EXTENSION = "oidc"
CSRF_EXEMPT_VIEWS = (views.token, views.userinfo, views.revoke, authorize.authorize, logout.end_session)
"""Called by apps with their own credentials (client secret, bearer token), or changing nothing
(an authorization or logout request POSTed by an app is only turned into a GET): no CSRF token. The consent
decision and the sign-out confirmation are separate views and keep it."""


def init_oidc(app: Flask) -> OidcProvider:
    """Set up the signing key, register the endpoints and exempt the machine ones from CSRF.

    Raises :class:`gateway.settings.ConfigError` when ``GATEWAY_OIDC_KEY_FILE``
    names a file that is missing or not an RSA private key, or when
    ``GATEWAY_OIDC_PAIRWISE_SECRET`` is too short.
    """
    keys = KeyStore(app.config.get("GATEWAY_OIDC_KEY_FILE"), Path(app.instance_path))
    subjects = PairwiseKey(app.config.get("GATEWAY_OIDC_PAIRWISE_SECRET"), Path(app.instance_path))
    provider = OidcProvider.build(keys, subjects)
    app.extensions[EXTENSION] = provider
    app.register_blueprint(oidc_blueprint)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        for view in CSRF_EXEMPT_VIEWS:
            csrf.exempt(view)
    return provider
