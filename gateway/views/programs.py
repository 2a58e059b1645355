"""Program pages: mounting each plugin's blueprint, and the host's generic page.

A plugin's blueprint is mounted at ``/<slug>/``; when it has no ``index`` view
the host renders the program page from the declaration alone. Requests under
the slug of a program that failed at start-up get a 503 page that says the
program is unavailable, while every other program keeps serving.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter, Map

from ..host import GatewayHost
from ..i18n import use_plugin_translations
from ..plugin_manager import GatewayPluginManager

programs_blueprint = Blueprint("programs", __name__)

PROGRAM_SLUGS = "gateway_program_slugs"
"""Attribute of the app's URL map: the slugs of the enabled programs (serving or failed)."""
FAILED_PROGRAM_SLUGS = "gateway_failed_program_slugs"
"""Attribute of the app's URL map: the slugs of the programs that failed at start-up."""


class ProgramSlugConverter(BaseConverter):
    """Matches only the slug of an enabled program, so ``/<slug>/...`` is not a catch-all.

    Without it the generic program page matched every ``/x/y`` path for GET,
    so routing thought ``GET /account/sign-out`` existed: ``OPTIONS`` listed
    GET in ``Allow``, and ``GET`` on a POST-only address was a 404 rather than
    a 405 (issue 11 item 7). Now the router knows which methods each address
    accepts.
    """

    slugs_attribute = PROGRAM_SLUGS

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        slugs = sorted(getattr(map, self.slugs_attribute, frozenset()), key=len, reverse=True)
        # In the pattern, not only in to_python: the router lists a rule's methods for OPTIONS and 405
        # from the patterns alone, before any converter is asked.
        self.regex = "(?:" + "|".join(re.escape(slug) for slug in slugs) + ")" if slugs else "(?!)"


class FailedProgramSlugConverter(ProgramSlugConverter):
    """Matches only the slug of a program that failed at start-up: everything under it answers 503."""

    slugs_attribute = FAILED_PROGRAM_SLUGS


def init_program_routes(app: Flask, manager: GatewayPluginManager) -> None:
    """Register the converters with the programs' slugs, then the generic pages (call after mounting plugins)."""
    programs = [record for record in manager.records.values() if record.program is not None]
    setattr(app.url_map, PROGRAM_SLUGS, frozenset(record.program.slug for record in programs if record.program))
    failed = frozenset(record.program.slug for record in programs if record.program and not record.serving)
    setattr(app.url_map, FAILED_PROGRAM_SLUGS, failed)
    app.url_map.converters["program"] = ProgramSlugConverter
    app.url_map.converters["failed_program"] = FailedProgramSlugConverter
    app.register_blueprint(programs_blueprint)  # last: its /<slug>/ rules yield to the plugins' own


@programs_blueprint.get("/<program:slug>/", endpoint="page", strict_slashes=False)
@programs_blueprint.get("/<failed_program:slug>/<path:_rest>", endpoint="under")
def program_page(slug: str, _rest: str | None = None) -> ResponseReturnValue:
    """The generic program page, the unavailable page, or a plain 404.

    Slashes are not strict here so that a mistyped top-level address is a
    404 rather than a redirect to the same address with a slash; ``/<slug>``
    of a real program is sent on to its canonical ``/<slug>/``.
    """
    host: GatewayHost = current_app.extensions["gateway"]
    for record in host.plugins.records.values():
        if record.program is None or record.program.slug != slug:
            continue
        if not record.serving:
            abort(503)
        if _rest is None and not request.path.endswith("/"):
            return redirect(f"/{slug}/", code=308)
        if _rest is None:
            return render_template("program.html", program=record.program)
    abort(404)


def mount_plugin_blueprints(app: Flask, manager: GatewayPluginManager, blueprints: dict[str, Blueprint]) -> None:
    """Register each healthy plugin's blueprint under its program's slug."""
    for name, blueprint in blueprints.items():
        record = manager.records[name]
        program = record.program
        assert program is not None
        try:
            app.register_blueprint(blueprint, url_prefix=f"/{program.slug}")
        except (ValueError, AssertionError) as exc:
            manager.fail(name, f"its blueprint could not be mounted: {exc}", exc)
            continue
        use_plugin_translations(app, blueprint.name, program.translations)
        app.template_context_processors.setdefault(blueprint.name, []).append(
            lambda program=program: {"program": program}
        )
        record.routes = sorted(
            rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(f"{blueprint.name}.")
        )
