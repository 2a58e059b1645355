"""The OpenAPI document: valid OpenAPI 3.1, every route of the API, generated from the same schemas."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.api.api_flow import SERVICE, Caller, fill_draft


def api_routes(app: Flask) -> set[tuple[str, str]]:
    """Every ``(path, method)`` the app serves under /api/v1, in OpenAPI's ``{name}`` notation."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, method.lower()) for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    return routes


def document(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def test_the_document_is_valid_and_public(api_app: Flask) -> None:
    spec = document(api_app)
    validate(spec)  # raises on any violation of the OpenAPI 3.1 schema
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": "/api/v1"}]


def test_every_route_is_described_with_its_schemas(api_app: Flask) -> None:
    spec = document(api_app)
    described = {(path, method) for path, item in spec["paths"].items() for method in item if method != "parameters"}
    served = api_routes(api_app)
    calculations = ("/programs/{program}/calculations/{name}", "post")
    assert calculations in served  # described once per declared calculation (tests/calculations); permits has none
    assert described == served - {calculations}
    assert len(described) == 7
    put = spec["paths"]["/programs/{program}/services/{service}/draft"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DraftStepRequest"
    }
    assert set(put["responses"]) >= {"200", "401", "403", "404", "422"}
    submit = spec["paths"]["/programs/{program}/services/{service}/submit"]["post"]
    assert set(submit["responses"]) >= {"201", "409", "422"}


def test_security_points_at_the_providers_discovery(api_app: Flask) -> None:
    spec = document(api_app)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["oidc"] == {
        "type": "openIdConnect",
        "openIdConnectUrl": "http://localhost/.well-known/openid-configuration",
    }
    assert schemes["bearer"]["scheme"] == "bearer"
    assert {"oidc": ["openid", "applications"]} in spec["security"]
    assert api_app.test_client().get("/.well-known/openid-configuration").status_code == 200


def test_each_declared_step_schema_is_a_component(api_app: Flask, sara: Caller) -> None:
    schemas = document(api_app)["components"]["schemas"]
    boat = schemas["permits.fishing_licence.boat"]
    assert set(boat["required"]) == {"boat_name", "length", "region", "hull", "registered_on"}
    assert boat["properties"]["region"]["enum"] == ["riyadh", "makkah", "eastern"]
    assert boat["properties"]["boat_name"]["maxLength"] == 100
    assert boat["properties"]["registered_on"]["type"] == "string"
    assert boat["properties"]["boat_name"]["x-label"]["en"] == "Boat name"
    personal = schemas["permits.fishing_licence.personal"]
    assert personal["properties"]["mobile"]["readOnly"] is True
    crew = schemas["permits.fishing_licence.crew"]
    assert crew["properties"]["members"]["items"]["$ref"].startswith("#/components/schemas/")
    data = schemas["DraftStepRequest"]["properties"]["data"]
    assert {"$ref": "#/components/schemas/permits.fishing_licence.crew"} in data["anyOf"]
    # The form endpoint and the document describe the same steps.
    steps = [step["slug"] for step in sara.get(SERVICE + "/form").get_json()["steps"]]
    assert [f"permits.fishing_licence.{slug}" for slug in steps] == [
        ref["$ref"].rsplit("/", 1)[1] for ref in data["anyOf"]
    ]


def test_responses_match_their_declared_schemas(api_app: Flask, sara: Caller) -> None:
    """A response validated against the document's own component (JSON Schema 2020-12, as OpenAPI 3.1 uses)."""
    spec = document(api_app)
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(spec))

    def check(component: str, body: Any) -> None:
        schema = {"$ref": f"urn:api#/components/schemas/{component}"}
        Draft202012Validator(schema, registry=registry).validate(body)

    check("ProgramList", sara.get("/api/v1/programs").get_json())
    check("ServiceForm", sara.get(SERVICE + "/form").get_json())
    check("Draft", sara.get(SERVICE + "/draft").get_json())
    check("Draft", sara.put(SERVICE + "/draft", {"step": "personal", "data": {"email": "a@b.sa"}}).get_json())
    check("FieldErrors", sara.put(SERVICE + "/draft", {"step": "personal", "data": {"email": "x"}}).get_json())
    check("ApplicationList", sara.get("/api/v1/applications").get_json())
    check("Error", sara.get("/api/v1/applications/PRM-ZZZZZZZZ").get_json())
    fill_draft(sara, crew=True)
    check("StepErrors", {"errors": {"boat": {"length": "Enter a number, like 12.5."}}})
    submitted = sara.post(SERVICE + "/submit", {"submission_key": "openapi-check-key"}).get_json()
    check("Application", submitted)
    check("Application", sara.get(f"/api/v1/applications/{submitted['reference']}").get_json())
    check("ApplicationList", sara.get("/api/v1/applications").get_json())
