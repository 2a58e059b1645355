"""What a plugin declares: its program, services, form steps and workflow states.

These are plain, frozen values. The host reads them to build the home page,
the program pages, ``/-/plugins.json`` and ``gateway plugins list``; later the
forms engine and the workflow engine read the steps and states. Declaring
instead of coding is what lets one host render and check every program alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .i18n import LocalText, TranslationDomain

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
"""Slugs name URLs, table prefixes, settings and gettext domains, so they are tame."""

RESERVED_SLUGS = frozenset(
    {
        "account",
        "admin",
        "apply",
        "about",
        "applications",
        "documents",
        "notifications",
        "payments",
        "api",
        "auth",
        "backoffice",
        "dev",
        "gateway",
        "healthz",
        "language",
        "oauth",
        "oidc",
        "programs",
        "readyz",
        "records",
        "sdk",
        "static",
        "well_known",
    }
)
"""Slugs a program may not take because the host mounts its own pages there."""


class DeclarationError(ValueError):
    """A plugin declared something the host cannot accept (bad slug, duplicate, ...)."""


def check_slug(slug: str, what: str = "slug") -> str:
    """Return ``slug`` if it is acceptable, else raise :class:`DeclarationError`."""
    if not SLUG_PATTERN.match(slug):
        raise DeclarationError(
            f"{what} {slug!r} must be 2-32 characters: lowercase letters, digits and '_', starting with a letter"
        )
    return slug


@dataclass(frozen=True)
class ContactPoint:
    """One way to reach a program: a phone number, email address or web page."""

    kind: str
    """``"phone"``, ``"email"`` or ``"web"``."""
    value: str
    label: LocalText

    def __post_init__(self) -> None:
        if self.kind not in {"phone", "email", "web"}:
            raise DeclarationError(f"contact kind must be phone, email or web, not {self.kind!r}")

    @property
    def href(self) -> str:
        """A link a browser can follow (``tel:``, ``mailto:`` or the address itself)."""
        if self.kind == "phone":
            return f"tel:{self.value}"
        if self.kind == "email":
            return f"mailto:{self.value}"
        return self.value


@dataclass(frozen=True)
class WorkflowState:
    """A state an application of a service can be in, beyond the common lifecycle."""

    slug: str
    label: LocalText
    terminal: bool = False

    def __post_init__(self) -> None:
        check_slug(self.slug, "workflow state")


ACTORS = frozenset({"citizen", "staff", "system"})
"""Who may make a transition: the applicant, the program's staff, or the portal itself."""


@dataclass(frozen=True)
class Transition:
    """A move an application may make from one state to another, and who may make it.

    ``on_payment`` marks the transition the portal makes by itself when the
    application's bill is paid (a workflow that waits for payment); if the
    bill was paid before the application reached ``source``, the portal makes
    it as soon as the application gets there. ``needs_comment`` makes the
    host ask for a comment (a reply to a ticket, the reason for a
    cancellation), which the other side reads in the application's history.
    ``roles`` limits a staff move to staff with one of those roles in the
    program (``("field_officer",)`` records a home visit; empty: any of the
    program's staff).
    """

    source: str
    target: str
    by: str
    label: LocalText
    on_payment: bool = False
    needs_comment: bool = False
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_slug(self.source, "transition source")
        check_slug(self.target, "transition target")
        if self.by not in ACTORS:
            raise DeclarationError(f"transition {self.source}->{self.target}: by must be one of {sorted(ACTORS)}")
        if self.roles and self.by != "staff":
            raise DeclarationError(f"transition {self.source}->{self.target}: only a staff move has roles")
        for role in self.roles:
            check_slug(role, "staff role")


@dataclass(frozen=True)
class FormStep:
    """One page of a service's form: a marshmallow schema and when it applies.

    ``condition`` receives the answers given so far (step slug -> data) and
    says whether the step is shown; ``None`` means always.
    """

    slug: str
    title: LocalText
    schema: type[Any]
    condition: Callable[[Mapping[str, Mapping[str, Any]]], bool] | None = None

    def __post_init__(self) -> None:
        check_slug(self.slug, "form step")

    def applies_to(self, answers: Mapping[str, Mapping[str, Any]]) -> bool:
        return True if self.condition is None else bool(self.condition(answers))


@dataclass(frozen=True)
class Service:
    """A service a program offers (for example, a new visa request).

    ``endpoint`` names the plugin's view that starts the service; a service
    without one is listed but not linked, so a page never shows a button that
    leads nowhere.
    """

    slug: str
    name: LocalText
    summary: LocalText
    endpoint: str | None = None
    requires_sign_in: bool = True
    steps: tuple[FormStep, ...] = ()
    states: tuple[WorkflowState, ...] = ()
    """States beyond the common lifecycle (``sdk.COMMON_STATES``), e.g. ``fee_paid``, ``issued``."""
    transitions: tuple[Transition, ...] | None = None
    """The allowed moves; ``None`` means the common ones (``sdk.COMMON_TRANSITIONS``)."""
    fee_setting: str | None = None
    """The name of the plugin's setting that holds this service's fee in SAR (fees are configuration)."""
    reference_prefix: str | None = None
    """Three to five capital letters that start the service's reference numbers (e.g. ``MSN``)."""
    extra_labels: tuple[tuple[str, LocalText], ...] = ()
    """The values the workflow records in ``extra`` that the person and staff see, with their labels,
    in order (``(("visa_number", _l("Visa number")), ...)``); other keys stay internal."""
    scope_answer: str | None = None
    """``"step.field"`` whose answer scopes the application: back-office staff whose role has that
    scope (an office's licence number, say) see only the applications made to them."""

    def __post_init__(self) -> None:
        check_slug(self.slug, "service")
        if self.reference_prefix is not None and not (
            self.reference_prefix.isascii() and self.reference_prefix.isupper() and 2 <= len(self.reference_prefix) <= 5
        ):
            raise DeclarationError(f"service {self.slug!r}: reference_prefix must be 2-5 capital letters")
        _no_duplicates((step.slug for step in self.steps), f"form steps of service {self.slug!r}")
        if self.scope_answer is not None:
            step_slug, _dot, field_name = self.scope_answer.partition(".")
            if not field_name or step_slug not in {step.slug for step in self.steps}:
                raise DeclarationError(
                    f"service {self.slug!r}: scope_answer must be 'step.field' naming one of its steps"
                )
        _no_duplicates((state.slug for state in self.states), f"workflow states of service {self.slug!r}")


@dataclass(frozen=True)
class Program:
    """A government program: what the portal shows about it and what it offers."""

    slug: str
    name: LocalText
    summary: LocalText
    translations: TranslationDomain
    services: tuple[Service, ...] = ()
    contacts: tuple[ContactPoint, ...] = ()
    conditions: tuple[LocalText, ...] = ()
    """Who may use the program, in short sentences shown on its page."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    staff_roles: tuple[tuple[str, LocalText], ...] = ()
    """Back-office roles of the program beyond the portal's ``reviewer`` and ``supervisor``, with their
    labels (``(("field_officer", _l("Field officer")),)``); a transition's ``roles`` may name them."""

    def __post_init__(self) -> None:
        check_slug(self.slug, "program")
        for role, _label in self.staff_roles:
            check_slug(role, "staff role")
        if self.slug in RESERVED_SLUGS:
            raise DeclarationError(f"program slug {self.slug!r} is reserved by the host")
        _no_duplicates((service.slug for service in self.services), f"services of program {self.slug!r}")

    def service(self, slug: str) -> Service | None:
        """The service called ``slug``, if the program offers it."""
        return next((service for service in self.services if service.slug == slug), None)


def _no_duplicates(slugs: Any, what: str) -> None:
    seen: set[str] = set()
    for slug in slugs:
        if slug in seen:
            raise DeclarationError(f"{what}: {slug!r} is declared twice")
        seen.add(slug)
