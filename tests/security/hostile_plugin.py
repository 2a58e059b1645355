"""A program whose names try to smuggle mail headers: the names that end up in email subjects.

Notification emails are subjected with the application's reference and the
service's name; a plugin is third-party code, and its names (or their
translations) could carry a CR/LF followed by ``Bcc:``. The one-step form
also lets a person type a name, which must never reach a header either.
"""

from __future__ import annotations

from pathlib import Path

from marshmallow import Schema, fields, validate

from bawaba_sdk import COMMON_TRANSITIONS, FormStep, Program, Service, TranslationDomain, hookimpl
from bawaba_sdk.forms import field

INJECTED = "\r\nBcc: victim@evil.example\r\nX-Injected: yes\r\n\r\nFake body"
translations = TranslationDomain(Path(__file__).parent / "translations", "hostile")


class NameSchema(Schema):
    name = fields.String(
        required=True, validate=validate.Length(max=200), metadata=field(label="Your name", widget="textarea")
    )


SERVICE = Service(
    slug="letter",
    name="Letter" + INJECTED,
    summary="Ask for a letter.",
    transitions=COMMON_TRANSITIONS,
    steps=(FormStep("about", "About you", NameSchema),),
    reference_prefix="HST",
)
PROGRAM = Program(
    slug="hostile",
    name="Hostile" + INJECTED,
    summary="Header injection probe.",
    translations=translations,
    services=(SERVICE,),
)


@hookimpl
def gateway_register_program() -> Program:
    return PROGRAM
