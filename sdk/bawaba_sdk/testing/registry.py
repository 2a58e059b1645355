"""Test kit: the registry as it is *now*, changed after registration (a fine paid, an account closed, an outage).

A program that reads the registry live (eligibility, a step's check) must
follow changes and say "try later" in an outage, never "refused"::

    from decimal import Decimal

    from bawaba_sdk.testing.registry import changed_registry

    def test_paying_the_fines_lets_khalid_apply(make_portal, sign_in_as):
        app = make_portal(plugins="parks")
        with changed_registry(app) as registry:
            registry.changes["1000000016"] = {"unpaid_violations": Decimal("0.00")}
            ...
            registry.down = True        # every lookup fails as an outage does
            registry.script = [{}, None]  # the next lookup as it is, the one after fails
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .host_kit import RegistryChanges, host_kit


@contextmanager
def changed_registry(app: Any) -> Iterator[RegistryChanges]:
    """The portal's registry with the changes the test sets, until the block ends."""
    changes = host_kit().change_registry(app)
    try:
        yield changes
    finally:
        changes.restore()


__all__ = ["RegistryChanges", "changed_registry"]
