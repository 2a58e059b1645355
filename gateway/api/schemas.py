"""The API's request and response bodies, declared once as marshmallow schemas.

Responses are produced by dumping these schemas and the OpenAPI document is
generated from them, so what the document promises is what the API sends.
Request bodies are checked by the views with translated messages (a person
may read them in the app); the schemas here describe their shape.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

SUBMISSION_KEY_PATTERN = r"^[A-Za-z0-9_.~-]{8,64}$"
"""Long enough to be unguessable, short enough for the applications table, safe in logs."""


class LocalTextSchema(Schema):
    """A text in every language the portal speaks."""

    ar = fields.String(required=True)
    en = fields.String(required=True)


class ErrorBodySchema(Schema):
    code = fields.Integer(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)
    message = fields.String(required=True)


class ErrorSchema(Schema):
    """The host's JSON error, in the language of the request."""

    error = fields.Nested(ErrorBodySchema, required=True)


class FieldErrorsSchema(Schema):
    """A step that was refused: one translated message per field (``members-0-name`` for a group cell)."""

    errors = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class StepErrorsSchema(Schema):
    """A submission that was refused: the field errors of each step that needs correcting."""

    errors = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.String()), required=True
    )


class EligibilityCheckSchema(Schema):
    """One condition of a service: the rule, whether the person meets it, and the figures or what to do."""

    label = fields.String(required=True)
    met = fields.Boolean(required=True)
    detail = fields.String(required=True)


class EligibilityErrorsSchema(Schema):
    eligibility = fields.List(fields.Nested(EligibilityCheckSchema), required=True)


class EligibilityRefusalSchema(Schema):
    """The person does not meet a condition of the service (403): every check, met or not."""

    errors = fields.Nested(EligibilityErrorsSchema, required=True)


class ServiceSummarySchema(Schema):
    slug = fields.String(required=True)
    name = fields.Nested(LocalTextSchema, required=True)
    summary = fields.Nested(LocalTextSchema, required=True)
    has_form = fields.Boolean(required=True, metadata={"description": "Whether the service can be applied for here."})


class ProgramSchema(Schema):
    slug = fields.String(required=True)
    name = fields.Nested(LocalTextSchema, required=True)
    summary = fields.Nested(LocalTextSchema, required=True)
    services = fields.List(fields.Nested(ServiceSummarySchema), required=True)


class ProgramListSchema(Schema):
    programs = fields.List(fields.Nested(ProgramSchema), required=True)


class ChoiceSchema(Schema):
    value = fields.String(required=True)
    label = fields.Nested(LocalTextSchema, required=True)


class FormFieldSchema(Schema):
    name = fields.String(required=True)
    type = fields.String(required=True)
    widget = fields.String(required=True)
    required = fields.Boolean(required=True)
    label = fields.Nested(LocalTextSchema, required=True)
    help = fields.Nested(LocalTextSchema, allow_none=True)
    choices = fields.List(fields.Nested(ChoiceSchema))
    prefill = fields.String(
        allow_none=True, metadata={"description": "Filled from the person's identity; values sent are ignored."}
    )
    read_only = fields.Boolean()
    max_length = fields.Integer(allow_none=True)
    cells = fields.List(
        fields.Nested(lambda: FormFieldSchema()),
        attribute="fields",
        data_key="fields",
        metadata={"description": "The cells of one row of a group."},
    )


class FormStepSchema(Schema):
    slug = fields.String(required=True)
    title = fields.Nested(LocalTextSchema, required=True)
    conditional = fields.Boolean(required=True)
    step_fields = fields.List(fields.Nested(FormFieldSchema), attribute="fields", data_key="fields", required=True)


class ServiceFormSchema(Schema):
    """The same declaration that drives the pages (``gateway.forms.form_schema_json``)."""

    service = fields.String(required=True)
    name = fields.Nested(LocalTextSchema, required=True)
    steps = fields.List(fields.Nested(FormStepSchema), required=True)


class DraftSchema(Schema):
    program = fields.String(required=True)
    service = fields.String(required=True)
    answers = fields.Dict(
        keys=fields.String(), values=fields.Dict(), required=True, metadata={"description": "Saved answers by step."}
    )
    steps = fields.List(
        fields.String(), required=True, metadata={"description": "The steps that apply given the answers so far."}
    )
    next_step = fields.String(allow_none=True, required=True)
    complete = fields.Boolean(required=True, metadata={"description": "Every applicable step is answered."})
    updated_at = fields.DateTime(allow_none=True, required=True)


class DraftStepRequestSchema(Schema):
    """One step's answers; ``data`` follows that step's own schema (see the ``step.*`` components)."""

    step = fields.String(required=True)
    data = fields.Dict(required=True)


class SubmitRequestSchema(Schema):
    submission_key = fields.String(
        required=True,
        validate=validate.Regexp(SUBMISSION_KEY_PATTERN),
        metadata={"description": "Chosen by the app; sending the same key again returns the same application."},
    )


class EventSchema(Schema):
    occurred_at = fields.DateTime(required=True)
    source = fields.String(required=True)
    target = fields.String(required=True)
    target_label = fields.String(required=True)
    actor = fields.String(required=True, metadata={"description": "Who made the move, in the request's language."})
    actor_kind = fields.String(required=True, validate=validate.OneOf(["citizen", "staff", "system"]))
    comment = fields.String(required=True)


class BillSchema(Schema):
    bill_number = fields.String(required=True)
    amount = fields.String(required=True, metadata={"description": "Riyals and halalas, e.g. 150.00."})
    currency = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["unpaid", "paid", "expired", "cancelled"]))
    due_at = fields.DateTime(required=True)
    paid_at = fields.DateTime(allow_none=True, required=True)


class ApplicationSummarySchema(Schema):
    reference = fields.String(required=True)
    program = fields.String(required=True)
    service = fields.String(required=True)
    program_name = fields.String(required=True)
    service_name = fields.String(required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True, metadata={"description": "In the request's language."})
    next_action = fields.String(allow_none=True, required=True)
    submitted_at = fields.DateTime(allow_none=True, required=True)
    updated_at = fields.DateTime(required=True)


class ApplicationSchema(ApplicationSummarySchema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    history = fields.List(fields.Nested(EventSchema), required=True)
    bills = fields.List(fields.Nested(BillSchema), required=True)


class ApplicationListSchema(Schema):
    applications = fields.List(fields.Nested(ApplicationSummarySchema), required=True)


RESPONSE_SCHEMAS: tuple[type[Schema], ...] = (
    ErrorSchema,
    FieldErrorsSchema,
    StepErrorsSchema,
    EligibilityRefusalSchema,
    ProgramListSchema,
    ServiceFormSchema,
    DraftSchema,
    DraftStepRequestSchema,
    SubmitRequestSchema,
    ApplicationSchema,
    ApplicationListSchema,
)
"""Registered as named components of the OpenAPI document (nested ones follow)."""
