"""The home page: every enabled program, in the visitor's language."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..host import GatewayHost

home_blueprint = Blueprint("home", __name__)


@home_blueprint.get("/")
def index() -> str:
    host: GatewayHost = current_app.extensions["gateway"]
    serving = [record.program for record in host.plugins.serving() if record.program is not None]
    return render_template("home.html", programs=serving, unavailable=unavailable_programs(host))


def unavailable_programs(host: GatewayHost) -> list[str]:
    """Names of enabled programs that failed to load, so visitors know they are down."""
    names = []
    for name in host.plugins.enabled_names:
        record = host.plugins.records.get(name)
        if record is None or record.serving:
            continue
        names.append(str(record.program.name) if record.program is not None else name)
    return names
