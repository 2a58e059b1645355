"""What the citizen's pages show about an application, in the current language.

Program and service names come from the plugin's declaration and state labels
from the workflow, so the pages follow the language of the request and a
renamed state shows its new name on old applications too. When the program's
plugin is no longer installed the slugs are shown rather than failing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bawaba_sdk.formatting import format_amount, format_date, format_datetime, format_hijri_date, format_number
from bawaba_sdk.i18n import LocalText, current_language

from ..forms.declaration import type_name
from .models import Application, ApplicationEvent
from .service import declaration_of
from .workflow import COMMON_WORKFLOW, Workflow, service_workflow

logger = logging.getLogger("gateway.applications")

RIYADH = timezone(timedelta(hours=3), "AST")
"""Saudi Arabia keeps UTC+3 all year (no daylight saving), so a fixed offset is exact."""

ACTOR_NAMES: Mapping[str, LocalText] = {
    "citizen": _l("You"),
    "staff": _l("Program staff"),
    "system": _l("The portal"),
}


@dataclass(frozen=True)
class ApplicationSummary:
    """One application as the dashboard and its page describe it."""

    application: Application
    program_name: LocalText
    service_name: LocalText
    workflow: Workflow

    @property
    def state_label(self) -> LocalText:
        return self.workflow.label(self.application.state)

    @property
    def next_action(self) -> LocalText | None:
        return self.workflow.next_action_for_citizen(self.application.state)


@dataclass(frozen=True)
class AnswerSection:
    title: LocalText
    rows: list[tuple[LocalText, str]]


def summarise(application: Application) -> ApplicationSummary:
    program, service = declaration_of(application)
    return ApplicationSummary(
        application=application,
        program_name=program.name if program is not None else application.program,
        service_name=service.name if service is not None else application.service,
        workflow=service_workflow(service) if service is not None else COMMON_WORKFLOW,
    )


def local_time(value: datetime | None) -> str:
    """A moment in Saudi time with its zone, in the page's language (the SDK's formatting layer)."""
    if value is None:
        return ""
    return format_datetime(value)


def actor_name(event: ApplicationEvent) -> LocalText:
    return ACTOR_NAMES.get(event.actor_kind, event.actor_kind)


def answer_sections(application: Application, file_names: Mapping[str, str] | None = None) -> list[AnswerSection]:
    """The answers grouped by form step, labelled from the step's schema where it says how.

    ``file_names`` (document id -> file name) shows a file answer as the file's name, not its id.
    """
    names = file_names or {}
    _program, service = declaration_of(application)
    steps = {step.slug: step for step in service.steps} if service is not None else {}
    sections = []
    for step_slug, data in (application.answers or {}).items():
        step = steps.get(step_slug)
        fields = getattr(step.schema, "_declared_fields", {}) if step is not None else {}
        if isinstance(data, Mapping):
            rows = [
                (_field_label(fields.get(name), name), display_value(_shown(fields.get(name), value, names)))
                for name, value in data.items()
            ]
        else:
            rows = [(step_slug, display_value(data))]
        sections.append(AnswerSection(title=step.title if step is not None else step_slug, rows=rows))
    return sections


def display_value(value: Any) -> str:
    """An answer as one line of text (Jinja escapes it when it is shown)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return "; ".join(display_value(item) for item in value) or "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {display_value(item)}" for key, item in value.items())
    return str(value)


def _shown(field: Any, value: Any, file_names: Mapping[str, str]) -> Any:
    """What to show for one answer: a file's name, a choice's text, a formatted figure or date, or the value."""
    metadata = getattr(field, "metadata", None) or {}
    if metadata.get("widget") == "file" and isinstance(value, str):
        return file_names.get(value, value)
    if field is not None and not metadata.get("choices") and value not in (None, "") and not isinstance(value, bool):
        formatted = _formatted(type_name(field), value)
        if formatted is not None:
            return formatted
    return _choice_label(field, value)


def _formatted(kind: str, value: Any) -> str | None:
    """An amount, number or date answer through the formatting layer; ``None`` when it is not one."""
    try:
        if kind == "sar_amount":
            return format_amount(Decimal(str(value)))
        if kind in ("integer", "number"):
            return format_number(Decimal(str(value)))
        if kind == "date_hijri":
            return format_hijri_date(value)
        if kind == "date_gregorian":
            return format_date(value)
        if kind == "datetime" and isinstance(value, datetime):
            return format_datetime(value)
    except (ArithmeticError, ValueError, TypeError):
        return None
    return None


def _choice_label(field: Any, value: Any) -> Any:
    """The text the person chose for a select/radio value, rather than the value the form sent."""
    choices = (getattr(field, "metadata", None) or {}).get("choices")
    if not choices or isinstance(value, list | tuple | Mapping):
        return value
    if callable(choices):
        # Worked out per person and per request: for whoever reads the page now (a member of
        # staff, or the person after their visa expired) they may not hold the value; then the
        # value itself is shown, and a plugin's failure never breaks the page.
        try:
            choices = list(choices())
        except Exception:
            logger.warning("the choices of %s could not be worked out for display", getattr(field, "name", "?"))
            return value
    return next((text for choice, text in choices if str(choice) == str(value)), value)


def _field_label(field: Any, name: str) -> LocalText:
    metadata = getattr(field, "metadata", None) or {}
    label = metadata.get("label")
    if isinstance(label, Mapping):
        chosen = label.get(current_language()) or next(iter(label.values()), None)
        return str(chosen) if chosen else name
    return label if label else name


def extra_rows(application: Application) -> list[tuple[LocalText, str]]:
    """The recorded values the service declares for display (``Service.extra_labels``), labelled, in order."""
    _program, service = declaration_of(application)
    if service is None:
        return []
    recorded = application.extra or {}
    return [
        (label, _extra_text(recorded[key]))
        for key, label in service.extra_labels
        if recorded.get(key) not in (None, "")
    ]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _extra_text(value: Any) -> str:
    """A recorded value as shown: a day (kept as ISO text in ``extra``) written out, anything else as text."""
    text = str(value)
    if _ISO_DAY.fullmatch(text):
        try:
            return format_date(text, with_hijri=True)
        except ValueError:
            return text
    return text


_BILL_PAID = re.compile(r"Bill (\d+) (?:already )?paid")


def event_comment(event: ApplicationEvent) -> str:
    """The comment of a history entry as the reader should see it.

    People and staff wrote theirs in their own words; the portal's own
    entries (a bill paid) are recorded in a fixed English form and shown in
    the reader's language.
    """
    if event.actor_kind == "system":
        paid = _BILL_PAID.fullmatch(event.comment or "")
        if paid:
            return _("Bill %(number)s paid", number=paid.group(1))
    return event.comment or ""
