"""Declaring forms through sdk.forms, and the JSON description the API serves."""

from __future__ import annotations

import pytest
from flask import Flask

from bawaba_sdk.forms import FormDeclarationError, HijriDateField, Schema, field, fields
from gateway.forms import form_schema_json
from gateway.forms.declaration import describe_schema
from tests.identity.conftest import Portal
from tests.sample_plugins.permits.plugin import FISHING_LICENCE, BoatSchema


def test_field_checks_its_metadata_at_import_time() -> None:
    assert field(label="Name") == {"label": "Name", "help": None, "widget": None}
    with pytest.raises(FormDeclarationError, match="widget"):
        field(label="x", widget="slider")  # type: ignore[arg-type]
    with pytest.raises(FormDeclarationError, match="needs choices"):
        field(label="x", widget="select")
    with pytest.raises(FormDeclarationError, match="choices only fit"):
        field(label="x", widget="text", choices=[("a", "A")])
    with pytest.raises(FormDeclarationError, match="prefill"):
        field(label="x", prefill="password_hash")
    with pytest.raises(FormDeclarationError, match="group"):
        field(label="x", schema=BoatSchema)


def test_widgets_are_inferred_from_types() -> None:
    class Inferred(Schema):
        count = fields.Integer(metadata=field(label="Count"))
        agreed = fields.Boolean(metadata=field(label="Agreed"))
        day = HijriDateField(metadata=field(label="Day"))
        colour = fields.String(metadata=field(label="Colour", choices=[("red", "Red")]))
        rows = fields.List(fields.Nested(BoatSchema), metadata=field(label="Rows"))

    widgets = {spec.name: spec.widget for spec in describe_schema(Inferred)}
    assert widgets == {
        "count": "number",
        "agreed": "checkbox",
        "day": "date_hijri",
        "colour": "select",
        "rows": "group",
    }


def test_a_field_without_label_or_a_nested_group_is_refused() -> None:
    class Unlabelled(Schema):
        name = fields.String()

    with pytest.raises(FormDeclarationError, match="no label"):
        describe_schema(Unlabelled)

    class Row(Schema):
        inner = fields.List(fields.Nested(BoatSchema), metadata=field(label="Inner", widget="group"))

    class Outer(Schema):
        rows = fields.List(fields.Nested(Row), metadata=field(label="Rows", widget="group"))

    with pytest.raises(FormDeclarationError, match="cannot hold another group"):
        describe_schema(Outer)


def test_form_schema_json_describes_every_step_and_field(forms_portal: Portal) -> None:
    app: Flask = forms_portal.app
    with app.test_request_context():
        described = form_schema_json(FISHING_LICENCE)
    assert described["service"] == "fishing_licence"
    assert [step["slug"] for step in described["steps"]] == ["personal", "boat", "crew"]
    assert [step["conditional"] for step in described["steps"]] == [False, False, True]
    personal = {f["name"]: f for f in described["steps"][0]["fields"]}
    assert personal["mobile"]["prefill"] == "mobile" and personal["mobile"]["read_only"] is True
    assert personal["mobile"]["type"] == "saudi_mobile"
    assert personal["email"]["label"] == {
        "ar": "Email address",
        "en": "Email address",
    }  # no catalogue in the test plugin
    assert personal["email"]["type"] == "email" and personal["email"]["required"] is True
    boat = {f["name"]: f for f in described["steps"][1]["fields"]}
    assert boat["region"]["widget"] == "select"
    assert boat["region"]["choices"][1] == {"value": "makkah", "label": {"ar": "Makkah", "en": "Makkah"}}
    assert boat["registered_on"]["type"] == "date_hijri" and boat["length"]["type"] == "number"
    assert boat["has_crew"]["widget"] == "checkbox" and boat["registration"]["widget"] == "file"
    assert boat["boat_name"]["max_length"] == 100
    crew = described["steps"][2]["fields"][0]
    assert crew["widget"] == "group" and crew["type"] == "array"
    assert [cell["name"] for cell in crew["fields"]] == ["national_id", "name"]
    assert crew["fields"][0]["type"] == "national_id"


def test_form_schema_json_translates_labels_from_the_host_catalogue(forms_portal: Portal) -> None:
    class Contact(Schema):
        email = fields.Email(metadata=field(label=_host_lazy("Email address")))

    from bawaba_sdk import FormStep, Service

    service = Service(slug="contact", name="Contact", summary="", steps=(FormStep("contact", "Contact", Contact),))
    with forms_portal.app.test_request_context():
        label = form_schema_json(service)["steps"][0]["fields"][0]["label"]
    assert label["en"] == "Email address" and label["ar"] != "Email address"


def _host_lazy(text: str):  # type: ignore[no-untyped-def]
    from flask_babel import lazy_gettext

    return lazy_gettext(text)


def test_a_choices_callable_taking_one_argument_gets_the_answers_so_far() -> None:
    seen: list[dict[str, object]] = []

    def ports_for(answers: dict[str, object]) -> list[tuple[str, str]]:
        seen.append(answers)
        region = (answers.get("where") or {}).get("region")  # type: ignore[union-attr]
        return [("JED", "Jeddah")] if region == "west" else [("DMM", "Dammam"), ("JED", "Jeddah")]

    def everyone() -> list[tuple[str, str]]:
        return [("any", "Any port")]

    class PortSchema(Schema):
        port = fields.String(required=True, metadata=field(label="Port", widget="select", choices=ports_for))
        fallback = fields.String(metadata=field(label="Fallback", widget="radio", choices=everyone))

    west = describe_schema(PortSchema, answers={"where": {"region": "west"}})
    assert [value for value, _label in west[0].choices] == ["JED"]
    assert [value for value, _label in west[1].choices] == ["any"]
    assert seen == [{"where": {"region": "west"}}]
    undecided = describe_schema(PortSchema)  # no draft yet (the API's description of the form)
    assert [value for value, _label in undecided[0].choices] == ["DMM", "JED"]
    assert seen[-1] == {}
