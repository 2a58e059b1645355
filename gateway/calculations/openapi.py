"""The calculations' part of the OpenAPI document: one path per declared calculation.

Each calculation's situation schema becomes the component
``<program>.calculations.<name>`` (with its example), and every path answers
the ``CalculationAnswer`` schema. A public calculation needs no token, which
the document says with an empty ``security`` list on that operation.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from bawaba_sdk.i18n import text_in

from .registry import serving_calculations
from .schemas import CalculationAnswerSchema

JSON = "application/json"


def add_calculation_paths(spec: APISpec, parameters: list[dict[str, Any]], token_scopes: str) -> None:
    """Register each serving program's calculations on ``spec`` (``parameters``: the common header ones)."""
    spec.components.schema("CalculationAnswer", schema=CalculationAnswerSchema)
    for slug, (_program, calculations) in serving_calculations().items():
        for calculation in calculations:
            component = f"{slug}.calculations.{calculation.name}"
            spec.components.schema(component, schema=calculation.situation)
            body: dict[str, Any] = {"schema": component}
            if calculation.example is not None:
                body["example"] = dict(calculation.example)
            operation: dict[str, Any] = {
                "summary": text_in(calculation.title, "en"),
                "description": text_in(calculation.summary, "en")
                + (
                    " Open to anyone: no token needed."
                    if calculation.public
                    else f" Needs an access token with the scopes “{token_scopes}”."
                ),
                "requestBody": {"required": True, "content": {JSON: body}},
                "responses": _responses(calculation.public),
            }
            if calculation.public:
                operation["security"] = []
            spec.path(
                path=f"/programs/{slug}/calculations/{calculation.name}",
                operations={"post": operation},
                parameters=parameters,
            )


def _responses(public: bool) -> dict[str, Any]:
    def described(description: str, schema: str) -> dict[str, Any]:
        return {"description": description, "content": {JSON: {"schema": schema}}}

    responses = {
        "200": described(
            "The figure, every line of it and every condition, in the request's language.", "CalculationAnswer"
        ),
        "400": described("The body is not a JSON object.", "FieldErrors"),
        "422": described(
            "The situation does not fit: one message per bad field, in the request's language.", "FieldErrors"
        ),
        "429": described("Too many calculations from this address; see Retry-After.", "Error"),
        "503": described("The program or its calculation is unavailable now; try again later.", "Error"),
    }
    if not public:
        responses["401"] = described("No access token, or one that is invalid, expired or revoked.", "Error")
        responses["403"] = described("The token lacks the scopes the API needs.", "Error")
    return responses
