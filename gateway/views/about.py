"""The footer's pages: how to contact the portal, its accessibility statement, its privacy notice.

Plain pages in both languages, linked from every page's footer, so a person
knows whom to ask, what the portal promises about access and what it keeps
about them. ``/favicon.ico`` points at the emblem, for the browsers and tools
that ask for it without reading the page's ``<link rel="icon">``.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

about_blueprint = Blueprint("about", __name__, url_prefix="/about")
favicon_blueprint = Blueprint("favicon", __name__)


@about_blueprint.get("/contact")
def contact() -> str:
    """Whom to contact about the portal itself (each program's own numbers are on its page)."""
    return render_template("about/contact.html")


@about_blueprint.get("/accessibility")
def accessibility() -> str:
    """The accessibility statement: the standard aimed at, how it is checked, how to report a problem."""
    return render_template("about/accessibility.html")


@about_blueprint.get("/privacy")
def privacy() -> str:
    """The privacy notice: what the portal keeps about a person, why, for how long, and who sees it."""
    return render_template("about/privacy.html")


@favicon_blueprint.get("/favicon.ico")
def favicon() -> Response:
    """The emblem, permanently: no 404 in the logs for every visitor's browser."""
    return redirect(url_for("static", filename="img/emblem.svg"), code=301)
