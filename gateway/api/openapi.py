"""The OpenAPI 3.1 document of the API, generated from the schemas the API itself dumps.

Built per request (it is small) because the enabled plugins decide which
step schemas exist and the discovery URL depends on the host name. Each
declared step schema of every enabled plugin becomes a component named
``<program>.<service>.<step>``: the same declaration drives the pages, the
checks and this description.
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, url_for
from marshmallow import Schema
from marshmallow import fields as ma_fields

from bawaba_sdk.fields import GregorianDateField, HijriDateField, NationalIdField, SarAmountField, SaudiMobileField
from bawaba_sdk.i18n import text_in, text_in_all_languages
from bawaba_sdk.program import Program

from ..calculations.openapi import add_calculation_paths
from .auth import REQUIRED_SCOPES
from .schemas import (
    RESPONSE_SCHEMAS,
    ApplicationListSchema,
    ApplicationSchema,
    DraftSchema,
    DraftStepRequestSchema,
    EligibilityRefusalSchema,
    ErrorSchema,
    FieldErrorsSchema,
    ProgramListSchema,
    ServiceFormSchema,
    StepErrorsSchema,
    SubmitRequestSchema,
)

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
PREFIX = "/api/v1"
JSON = "application/json"
TEXT_FIELDS = (NationalIdField, SaudiMobileField, HijriDateField, GregorianDateField, SarAmountField)
"""The SDK's own field types, which travel as text (digits, dates, amounts)."""


def _form_metadata(self: Any, field: ma_fields.Field[Any], ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """The forms engine's metadata (label, help, choices, prefill) as OpenAPI properties and ``x-`` extensions."""
    metadata = field.metadata or {}
    extra: dict[str, Any] = {}
    if isinstance(field, TEXT_FIELDS):
        extra["type"] = "string"
    label = metadata.get("label")
    if label is not None and not isinstance(label, dict):
        extra["title"] = text_in(label, "en")
        extra["x-label"] = text_in_all_languages(label)
    help_text = metadata.get("help")
    if help_text is not None and not isinstance(help_text, dict):
        extra["description"] = text_in(help_text, "en")
    if metadata.get("widget"):
        extra["x-widget"] = metadata["widget"]
    choices = metadata.get("choices")
    if callable(choices):
        extra["x-choices-per-person"] = True  # worked out for each caller: GET .../form lists them
    elif choices:
        extra["x-choices"] = [{"value": value, "label": text_in_all_languages(text)} for value, text in choices]
    if metadata.get("prefill"):
        extra["readOnly"] = True
        extra["x-prefill"] = metadata["prefill"]
    return extra


def _schema_name(schema: type[Schema] | Schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    return name[: -len("Schema")] if name.endswith("Schema") and name != "Schema" else name


def step_component_names(programs: list[Program]) -> dict[str, type[Schema]]:
    """``<program>.<service>.<step>`` -> the step's schema, for every declared step."""
    return {
        f"{program.slug}.{service.slug}.{step.slug}": step.schema
        for program in programs
        for service in program.services
        for step in service.steps
    }


def _path_parameters(*names: str) -> list[dict[str, Any]]:
    language = {
        "in": "header",
        "name": "Accept-Language",
        "required": False,
        "schema": {"type": "string", "example": "ar"},
        "description": "ar or en: the language of labels and error messages.",
    }
    return [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}} for name in names] + [language]


def _response(description: str, schema: type[Schema]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _operation(summary: str, ok: dict[str, Any], *, body: Any = None, extra: dict[str, Any] | None = None) -> Any:
    responses: dict[str, Any] = {
        **ok,
        "400": _response("The body is not a JSON object.", ErrorSchema),
        "401": _response("No access token, or one that is invalid, expired or revoked.", ErrorSchema),
        "403": _response(f"The token lacks the scopes “{REQUIRED_SCOPES}”.", ErrorSchema),
        **(extra or {}),
    }
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    return operation


NOT_FOUND = {"404": _response("No such program, service or application of yours.", ErrorSchema)}
NOT_ELIGIBLE = {
    "403": {
        "description": f"The token lacks the scopes “{REQUIRED_SCOPES}”, or you do not meet a condition of "
        "the service: errors.eligibility lists every check, met or not, with what to do.",
        "content": {JSON: {"schema": {"oneOf": [ErrorSchema, EligibilityRefusalSchema]}}},
    }
}
CONDITIONS_UNKNOWN = "The service's conditions cannot be checked now (errors.eligibility); try again later."


def openapi_document() -> dict[str, Any]:
    """The whole document; needs a request context (external discovery URL, translated labels)."""
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec(
        title="Bawaba API",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
        info={
            "description": "Programs, forms, drafts and applications of the person who granted the token, "
            "and the programs' calculations (the public ones need no token)."
        },
        servers=[{"url": PREFIX}],
        security=[{"oidc": REQUIRED_SCOPES.split()}, {"bearer": []}],
    )
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_form_metadata)
    spec.components.security_scheme(
        "oidc", {"type": "openIdConnect", "openIdConnectUrl": url_for("oidc.configuration", _external=True)}
    )
    spec.components.security_scheme(
        "bearer",
        {"type": "http", "scheme": "bearer", "description": "An access token from /oidc/token with the scopes above."},
    )
    for schema in RESPONSE_SCHEMAS:
        spec.components.schema(_schema_name(schema), schema=schema)
    steps = _register_steps(spec)
    _add_paths(spec)
    add_calculation_paths(spec, _path_parameters(), REQUIRED_SCOPES)
    document: dict[str, Any] = spec.to_dict()
    if steps:
        data = document["components"]["schemas"]["DraftStepRequest"]["properties"]["data"]
        data["anyOf"] = [{"$ref": f"#/components/schemas/{name}"} for name in steps]
    return document


def _register_steps(spec: APISpec) -> list[str]:
    programs: list[Program] = current_app.extensions["gateway"].enabled_programs()
    registered: set[type[Schema]] = set()
    names = []
    for name, schema in step_component_names(programs).items():
        if schema in registered:  # one schema class reused by two steps: described once
            continue
        registered.add(schema)
        spec.components.schema(name, schema=schema)
        names.append(name)
    return names


def _add_paths(spec: APISpec) -> None:
    service_parameters = _path_parameters("program", "service")
    spec.path(
        path="/programs",
        operations={"get": _operation("The enabled programs and their services.", {"200": _ok(ProgramListSchema)})},
        parameters=_path_parameters(),
    )
    spec.path(
        path="/programs/{program}/services/{service}/form",
        operations={
            "get": _operation("The service's form: steps and fields.", {"200": _ok(ServiceFormSchema)}, extra=NOT_FOUND)
        },
        parameters=service_parameters,
    )
    spec.path(
        path="/programs/{program}/services/{service}/draft",
        operations={
            "get": _operation("Your saved draft of the service.", {"200": _ok(DraftSchema)}, extra=NOT_FOUND),
            "put": _operation(
                "Check and save one step of your draft.",
                {"200": _ok(DraftSchema)},
                body=DraftStepRequestSchema,
                extra={
                    **NOT_FOUND,
                    **NOT_ELIGIBLE,
                    "422": _response("Field errors, in the request's language.", FieldErrorsSchema),
                    "503": _response(CONDITIONS_UNKNOWN, FieldErrorsSchema),
                },
            ),
        },
        parameters=service_parameters,
    )
    spec.path(
        path="/programs/{program}/services/{service}/submit",
        operations={
            "post": _operation(
                "Send your completed draft as an application, once per submission key; "
                "the same key again gets the same answer again.",
                {
                    "201": _response(
                        "Sent: the application (again, with the same Location, for a repeat of the same key).",
                        ApplicationSchema,
                    ),
                },
                body=SubmitRequestSchema,
                extra={
                    **NOT_FOUND,
                    "409": _response("The draft is not complete, or the key was used elsewhere.", FieldErrorsSchema),
                    "422": {
                        "description": "Steps that need correcting (errors by step), a malformed submission_key, "
                        "or a submission_key that already sent other answers.",
                        "content": {JSON: {"schema": {"oneOf": [StepErrorsSchema, FieldErrorsSchema]}}},
                    },
                    **NOT_ELIGIBLE,
                    "503": {
                        "description": f"The program could not take the application now, or: {CONDITIONS_UNKNOWN}",
                        "content": {JSON: {"schema": {"oneOf": [ErrorSchema, FieldErrorsSchema]}}},
                    },
                },
            )
        },
        parameters=service_parameters,
    )
    spec.path(
        path="/applications",
        operations={"get": _operation("Your applications, newest first.", {"200": _ok(ApplicationListSchema)})},
        parameters=_path_parameters(),
    )
    spec.path(
        path="/applications/{reference}",
        operations={
            "get": _operation(
                "One of your applications with its history and bills.", {"200": _ok(ApplicationSchema)}, extra=NOT_FOUND
            )
        },
        parameters=_path_parameters("reference"),
    )


def _ok(schema: type[Schema]) -> dict[str, Any]:
    return _response("OK", schema)
