"""Routing a plugin's service hooks by service: each part of a plugin answers for its own services.

A program with several services (visas, contracts, complaints...) gets every
service hook for all of them; without help each plugin writes the same
``if service.slug == ...`` routing again. Here each part declares a
:class:`ServiceHooks` per service slug, and a :class:`ServiceRouter` answers
the four service hooks by calling the part that owns the service (``None``,
"no answer", for a service that declares none)::

    import bawaba_sdk as sdk

    ROUTER = sdk.ServiceRouter({
        "booking": sdk.ServiceHooks(validate_step=check_booking, fee=booking_fee),
        "complaint": sdk.ServiceHooks(transitioned=on_complaint_moved),
    })

    # in plugin.py: the router's hook implementations are the plugin's
    gateway_check_eligibility = ROUTER.gateway_check_eligibility
    gateway_validate_step = ROUTER.gateway_validate_step
    gateway_application_transitioned = ROUTER.gateway_application_transitioned
    gateway_application_fee = ROUTER.gateway_application_fee

A part never sees another part's services or applications.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .applications import ApplicationView
from .eligibility import EligibilityCheck
from .identity import PersonView
from .markers import hookimpl
from .program import FormStep, Service

Eligibility = Callable[[PersonView], Sequence[EligibilityCheck]]
"""``gateway_check_eligibility`` for one service: the person -> their checks."""
StepCheck = Callable[[FormStep, Mapping[str, Any], Mapping[str, Any], PersonView], Mapping[str, str] | None]
"""``gateway_validate_step`` for one service: (step, data, answers, person) -> field -> message, or ``None``."""
Transitioned = Callable[[ApplicationView, str, str, str], Mapping[str, Any] | None]
"""``gateway_application_transitioned`` for one service: (application, source, target, actor) -> extra values."""
Fee = Callable[[Mapping[str, Any], PersonView], Decimal | None]
"""``gateway_application_fee`` for one service: (answers, person) -> the fee, or ``None`` for the fixed one."""


@dataclass(frozen=True)
class ServiceHooks:
    """The hook implementations of one service; ``None`` where the service needs none."""

    eligibility: Eligibility | None = None
    validate_step: StepCheck | None = None
    transitioned: Transitioned | None = None
    fee: Fee | None = None


class ServiceRouter:
    """Answers the service hooks by calling the :class:`ServiceHooks` of the service concerned."""

    def __init__(self, routes: Mapping[str, ServiceHooks]) -> None:
        self.routes: dict[str, ServiceHooks] = dict(routes)

    def hooks_for(self, service: Service | str) -> ServiceHooks:
        """The service's hooks (by :class:`Service` or slug); empty for a service that declared none."""
        slug = service if isinstance(service, str) else service.slug
        return self.routes.get(slug) or ServiceHooks()

    @hookimpl
    def gateway_check_eligibility(self, service: Service, person: PersonView) -> Sequence[EligibilityCheck] | None:
        check = self.hooks_for(service).eligibility
        return check(person) if check is not None else None

    @hookimpl
    def gateway_validate_step(
        self,
        service: Service,
        step: FormStep,
        data: Mapping[str, Any],
        answers: Mapping[str, Any],
        person: PersonView,
    ) -> Mapping[str, str] | None:
        check = self.hooks_for(service).validate_step
        return check(step, data, answers, person) if check is not None else None

    @hookimpl
    def gateway_application_transitioned(
        self, application: ApplicationView, source: str, target: str, actor: str
    ) -> Mapping[str, Any] | None:
        react = self.hooks_for(application.service).transitioned
        return react(application, source, target, actor) if react is not None else None

    @hookimpl
    def gateway_application_fee(
        self, service: Service, answers: Mapping[str, Any], person: PersonView
    ) -> Decimal | None:
        fee = self.hooks_for(service).fee
        return fee(answers, person) if fee is not None else None


__all__ = ["Eligibility", "Fee", "ServiceHooks", "ServiceRouter", "StepCheck", "Transitioned"]
