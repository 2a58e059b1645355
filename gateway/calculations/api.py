"""``POST /api/v1/programs/<program>/calculations/<name>``: a program's calculation, explained, as JSON.

The body is a situation (the calculation's marshmallow schema). A public
calculation answers anyone, without a token: it holds no personal data. The
others need the same access token as the rest of the API. Every call counts
against ``GATEWAY_RATE_LIMIT_CALCULATIONS`` per address. A situation that
does not fit the schema gets 422 with a message per bad field in the caller's
language (``Accept-Language``); the answer's labels are in that language too,
with every figure formatted.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..api.auth import token_required
from ..forms.flow import flatten_errors
from ..forms.messages import translated_schema
from ..i18n import language_code
from ..ratelimit import limit
from .json_types import wrong_types
from .present import present
from .registry import CalculationRef, find_calculation

logger = logging.getLogger("gateway.calculations")

calculations_api = Blueprint("calculations_api", __name__, url_prefix="/api/v1")


def _problems(errors: dict[str, str], status: int = 422) -> Response:
    response = jsonify(errors=errors)
    response.status_code = status
    return response


@calculations_api.after_request
def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = language_code()
    return response


@calculations_api.post("/programs/<program>/calculations/<name>")
@limit("GATEWAY_RATE_LIMIT_CALCULATIONS")
def calculate(program: str, name: str) -> ResponseReturnValue:
    ref = find_calculation(program, name)
    if ref.calculation.public:
        return _answer(ref)
    return token_required(_answer)(ref)


def _answer(ref: CalculationRef) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _problems({"situation": _("Send the situation as a JSON object.")}, 400)
    calculation = ref.calculation
    schema = translated_schema(calculation.situation())
    mistyped = wrong_types(body, schema)
    try:
        situation = calculation.load(body, schema)
    except ValidationError as error:
        return _problems({**flatten_errors(error.messages), **mistyped})
    if mistyped:
        return _problems(mistyped)
    parameters = current_app.extensions["gateway"].parameters_for(ref.program.slug)
    try:
        explanation = calculation.compute(situation, parameters)
    except LookupError as missing:  # a parameter with no value in force on the situation's day
        logger.info("calculation %s.%s: %s", ref.program.slug, calculation.name, missing)
        field = "on" if "on" in schema.fields else "situation"
        return _problems({field: _("The rules of this calculation were not yet in force on that day.")})
    except Exception:
        logger.exception("calculation %s.%s failed", ref.program.slug, calculation.name)
        abort(503)
    answer: dict[str, Any] = {"program": ref.program.slug, **present(explanation, ref.program.translations).as_json()}
    if calculation.answer is not None:
        for key, value in calculation.answer(explanation).items():
            answer.setdefault(key, value)
    return jsonify(answer)
