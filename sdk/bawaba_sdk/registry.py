"""What the national registry says about the signed-in person, as a program may read it.

Programs never talk to the registry themselves: the host owns the adapter
(sandbox or real) and answers :func:`registry_standing` live on each call, so
a rule such as "no unpaid traffic violations" is checked against the registry
as it is now, not as it was when the person registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .host import current_host

if TYPE_CHECKING:
    from .identity import PersonView


class RegistryUnavailable(Exception):  # noqa: N818 - the public name says what happened
    """The registry could not answer now; tell the person to try again later (never "not eligible")."""


@dataclass(frozen=True)
class RegistryStanding:
    """The parts of a registry record that programs' rules depend on."""

    account_active: bool
    """The person's Absher account is active."""
    unpaid_violations: Decimal
    """Unpaid traffic violations in SAR (``0.00`` when none)."""
    monthly_income: Decimal | None
    """The registered monthly income in SAR (wage records), or ``None`` when the registry has none."""


def registry_standing(person: PersonView) -> RegistryStanding | None:
    """The person's standing in the registry now, or ``None`` if the registry no longer knows them.

    :raises RegistryUnavailable: when the registry cannot answer.
    """
    return current_host().registry_standing(person.id_number)


def registry_confirms(id_number: str, birth_date: date) -> bool:
    """Whether the registry knows ``id_number`` with that date of birth (a person, or a member of a family register).

    For people a program is told about but who are not signed in (a
    household's dependents): it answers only yes or no, never what the
    registry holds, so a form cannot be used to read other people's data.

    :raises RegistryUnavailable: when the registry cannot answer.
    """
    return current_host().registry_confirms(id_number, birth_date)
