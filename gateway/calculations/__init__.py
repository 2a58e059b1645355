"""Programs' calculations in the host: the JSON API, the OpenAPI paths and the rendering for citizens.

A plugin declares :class:`sdk.Calculation` objects (``gateway_register_calculations``,
kept on its record at boot by ``plugin_boot``). This package serves each at
``POST /api/v1/programs/<slug>/calculations/<name>`` (:mod:`.api`), describes
them in the OpenAPI document (:mod:`.openapi`), and presents an
:class:`sdk.Explanation` in a reader's language (:mod:`.present`) for the API
and for the ``explanation`` template macro.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from bawaba_sdk.calculations import Explanation
from bawaba_sdk.program import Program

from .present import ExplanationShown, present

EXTENSION_KEY = "gateway.calculations"


def init_calculations(app: Flask) -> None:
    """Mount the calculation API once per app (no cookies are read there, so no CSRF token)."""
    if EXTENSION_KEY in app.extensions:
        return
    from .api import calculations_api

    app.register_blueprint(calculations_api)
    app.jinja_env.globals["gateway_explanation"] = explanation_for_template
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(calculations_api)
    app.extensions[EXTENSION_KEY] = True


def explanation_for_template(result: Explanation | Mapping[str, Any], program: Program) -> ExplanationShown:
    """What the ``explanation`` macro renders: ``result`` (or its stored form) in the request's language."""
    explanation = result if isinstance(result, Explanation) else Explanation.from_storage(result)
    return present(explanation, program.translations)


__all__ = ["EXTENSION_KEY", "explanation_for_template", "init_calculations"]
