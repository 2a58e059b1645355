"""The JSON API for mobile and partner apps (issue 4 §10), authenticated with OIDC access tokens.

``/api/v1/...`` offers the forms and applications operations of the pages to
the person who granted an access token with the ``applications`` scope;
``/api/openapi.json`` describes them. The app factory calls :func:`init_api`.
"""

from __future__ import annotations

from flask import Flask

EXTENSION_KEY = "gateway.api"


def init_api(app: Flask) -> None:
    """Mount the API and its OpenAPI document once per app; the API takes no cookies, so no CSRF token."""
    if EXTENSION_KEY in app.extensions:
        return
    from .views import api_blueprint, openapi_blueprint

    app.register_blueprint(api_blueprint)
    app.register_blueprint(openapi_blueprint)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(api_blueprint)
    app.extensions[EXTENSION_KEY] = True


__all__ = ["EXTENSION_KEY", "init_api"]
