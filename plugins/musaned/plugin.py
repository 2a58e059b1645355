"""Musaned's hook implementations and its program page.

This module is the ``gateway.plugins`` entry point. It imports only ``sdk``
(and its own package), like any third-party plugin.
"""

from __future__ import annotations

from collections.abc import Iterable

import sdk

from .program import PROGRAM, SETTINGS, SLUG

bp = sdk.Blueprint(SLUG, __name__, template_folder="templates")


@bp.get("/")
def index() -> str:
    """The program page: the declaration, plus the fee and time limits from the settings."""
    return sdk.render_template(f"{SLUG}/index.html", settings=sdk.plugin_settings(SLUG))


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_settings() -> Iterable[sdk.Setting]:
    return list(SETTINGS)


@sdk.hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return bp
