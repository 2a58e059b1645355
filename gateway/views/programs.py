"""Program pages: mounting each plugin's blueprint, and the host's generic page.

A plugin's blueprint is mounted at ``/<slug>/``; when it has no ``index`` view
the host renders the program page from the declaration alone. Requests under
the slug of a program that failed at start-up get a 503 page that says the
program is unavailable, while every other program keeps serving.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue

from ..host import GatewayHost
from ..i18n import use_plugin_translations
from ..plugin_manager import GatewayPluginManager

programs_blueprint = Blueprint("programs", __name__)


@programs_blueprint.get("/<slug>/", endpoint="page", strict_slashes=False)
@programs_blueprint.get("/<slug>/<path:_rest>", endpoint="under")
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
