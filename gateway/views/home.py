"""The home page: every enabled program, in the visitor's language."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from markupsafe import Markup

from ..host import GatewayHost
from ..i18n import language_code

home_blueprint = Blueprint("home", __name__)


CARDS_EXTENSION = "gateway.home.cards"


@home_blueprint.get("/")
def index() -> str:
    host: GatewayHost = current_app.extensions["gateway"]
    return render_template("home.html", program_cards=program_cards(host), unavailable=unavailable_programs(host))


def program_cards(host: GatewayHost) -> Markup:
    """The serving programs' cards in this request's language, rendered once per language and app.

    Which programs serve is settled at start-up, and a portal with fifty
    programs would otherwise render fifty cards on every visit to its busiest
    page.
    """
    rendered: dict[str, Markup] = current_app.extensions.setdefault(CARDS_EXTENSION, {})
    language = language_code()
    if language not in rendered:
        serving = [record.program for record in host.plugins.serving() if record.program is not None]
        html = render_template("partials/program_cards.html", programs=serving)  # autoescaped by Jinja
        rendered[language] = Markup(html)  # noqa: S704 -- our own template's output, already escaped
    return rendered[language]


def unavailable_programs(host: GatewayHost) -> list[str]:
    """Names of enabled programs that failed to load, so visitors know they are down."""
    names = []
    for name in host.plugins.enabled_names:
        record = host.plugins.records.get(name)
        if record is None or record.serving:
            continue
        names.append(str(record.program.name) if record.program is not None else name)
    return names
