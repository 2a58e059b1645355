"""``gateway demo load`` for the programme: the sandbox households, checked and reported.

Each household (``data/sandbox_households.json``) is a unified profile of
fictional people of the sandbox registry. Loading checks every one through
the situation schema and the entitlement with the published parameters,
so a household that no longer gives what its story says stops the load with
its name rather than misleading a demonstration, and reports each with its
head's ID number, the amount and the conditions not met. The profiles are
standing records of the host once it keeps them; until then this report is
the list of households to walk through with the estimate page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import bawaba_sdk as sdk

from .entitlement import entitlement
from .household import sandbox_households
from .rules import published_parameters
from .situation import load_situation


class SandboxMismatchError(ValueError):
    """A sandbox household no longer gives the amount its story promises."""


def load(parameters: sdk.ParameterSet | None = None) -> list[str]:
    """Check every sandbox household and return one report line each (plus a count first).

    The stories are about the rules as published, so they are checked with
    the published parameters (an operator's override changes the amounts a
    portal pays, not what the sandbox is for).
    """
    lines: list[str] = []
    households = sandbox_households()
    for household in households:
        explained = entitlement(load_situation(household.situation()), parameters or published_parameters())
        expected: dict[str, Any] = dict(household.expected)
        unmet = [condition.key for condition in explained.unmet]
        if explained.amount != Decimal(expected["amount"]) or unmet != expected["unmet"]:
            raise SandboxMismatchError(
                f"household {household.key} ({household.head}) gives {explained.amount} unmet {unmet}, "
                f"its story says {expected['amount']} unmet {expected['unmet']}"
            )
        outcome = f"{explained.amount} SAR a month" if explained.eligible else f"not eligible ({', '.join(unmet)})"
        lines.append(f"household {household.key}: head {household.head}, {outcome} on {expected['on']}")
    return [f"{len(households)} sandbox households checked", *lines]
