"""Wiring the outbox into an app: one :class:`Messenger` per app, and the developer page.

The messenger lives in ``app.extensions`` rather than a module global so a
test suite can build many apps with different adapters side by side.
"""

from __future__ import annotations

from flask import Flask

from .dispatch import init_dispatch
from .outbox import MESSENGER_EXTENSION, Messenger
from .views import dev_outbox_blueprint

DEV_ENVIRONMENTS = ("development", "testing")


def init_messaging(app: Flask) -> Messenger:
    """Build the app's messenger (raises ``ConfigError`` on bad adapter settings) and its dispatch.

    Committed messages are handed to ``gateway worker`` (``dispatch.py``).
    ``/dev/outbox`` is registered only when ``GATEWAY_ENV`` is development or
    testing: it shows one-time codes, so in production the route must not
    exist at all. Calling this twice on one app is harmless.
    """
    messenger = app.extensions.get(MESSENGER_EXTENSION)
    if not isinstance(messenger, Messenger):
        messenger = Messenger.from_app(app)
        app.extensions[MESSENGER_EXTENSION] = messenger
    init_dispatch(app)
    environment = app.config.get("GATEWAY_ENV", "production")
    if environment in DEV_ENVIRONMENTS and dev_outbox_blueprint.name not in app.blueprints:
        app.register_blueprint(dev_outbox_blueprint)
    return messenger
