"""A program's dated parameters in the host: operators' overrides at start-up, and the public rules page.

The plugin declares its parameters (``gateway_register_parameters``); the
boot (``plugin_boot``) reads each one's override setting through
:mod:`.overrides` and keeps the result on the plugin's record, which
``sdk.plugin_parameters(slug)`` returns. ``/programs/<slug>/rules`` publishes
every value with its date and source (:mod:`.views`).
"""

from __future__ import annotations

from flask import Flask, current_app, url_for

from bawaba_sdk.program import Program

EXTENSION_KEY = "gateway.parameters"


def init_parameters(app: Flask) -> None:
    """Mount the rules pages once per app, and give templates ``gateway_rules_url(program)``."""
    if EXTENSION_KEY in app.extensions:
        return
    from .views import rules_blueprint

    app.register_blueprint(rules_blueprint)
    app.jinja_env.globals["gateway_rules_url"] = rules_url
    app.extensions[EXTENSION_KEY] = True


def rules_url(program: Program) -> str | None:
    """The program's rules page, or ``None`` when it declares no parameters (the page would be empty)."""
    if not len(current_app.extensions["gateway"].parameters_for(program.slug)):
        return None
    return url_for("rules.rules_page", slug=program.slug)


__all__ = ["EXTENSION_KEY", "init_parameters", "rules_url"]
