"""Which part of the plugin answers a hook for which service.

The host calls Musaned's hooks for every service of the program; each part
(visas, contracts, complaints, tickets) declares the callables it needs for
its own services in a ``HOOKS`` mapping, and ``plugin.py`` routes each call
by service slug. A part never sees another part's applications.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk

Eligibility = Callable[[sdk.PersonView], Sequence[sdk.EligibilityCheck]]
StepCheck = Callable[[sdk.FormStep, Mapping[str, Any], Mapping[str, Any], sdk.PersonView], Mapping[str, str] | None]
Transitioned = Callable[[sdk.ApplicationView, str, str, str], Mapping[str, Any] | None]
Fee = Callable[[Mapping[str, Any], sdk.PersonView], Decimal | None]


@dataclass(frozen=True)
class ServiceHooks:
    """The hook implementations of one service; ``None`` where the service needs none."""

    eligibility: Eligibility | None = None
    validate_step: StepCheck | None = None
    transitioned: Transitioned | None = None
    fee: Fee | None = None
