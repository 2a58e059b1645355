"""Wiring payments into an app: the adapter, the blueprint and the callback's CSRF exemption.

The adapter lives in ``app.extensions["gateway.payments"]`` rather than a
module global so a test suite can build many apps with different adapters.
The callback is exempt from CSRF because providers call it server to server
with no session; the HMAC signature of its body takes CSRF's place.
"""

from __future__ import annotations

from flask import Flask

from .adapter import PaymentAdapter, load_payment_adapter
from .views import EXTENSION_KEY, callback, payments_blueprint


def init_payments(app: Flask) -> PaymentAdapter:
    """Build the app's payment adapter (``ConfigError`` on a bad one) and register ``/payments``.

    Calling it twice on one app is harmless.
    """
    adapter = app.extensions.get(EXTENSION_KEY)
    if adapter is None:
        adapter = load_payment_adapter(app.config)
        app.extensions[EXTENSION_KEY] = adapter
    if payments_blueprint.name not in app.blueprints:
        app.register_blueprint(payments_blueprint)
        csrf = app.extensions.get("csrf")
        if csrf is not None:
            csrf.exempt(callback)
    loaded: PaymentAdapter = adapter
    return loaded
