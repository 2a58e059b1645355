"""What the test kit asks of the host: the typed contract behind ``gateway.host``'s ``test_kit`` entry point.

The kit never imports the host (a plugin's tests must not either). What needs
the host's insides (making a staff account, moving an application through its
workflow, reading the outbox) the host offers through one object, found at
test time through the ``test_kit`` entry point of the ``gateway.host`` group
and checked against :class:`HostTestKit`. Every method refuses a portal not
built for tests (``ENV=testing``, which ``make_portal`` sets).

Plugin tests use the functions of ``bawaba_sdk.testing.staff``,
``.applications``, ``.payments``, ``.outbox`` and ``.jobs``, not this object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Protocol, runtime_checkable

from ..applications import ApplicationView
from .fixtures import load_host_function


class TransitionRefused(Exception):  # noqa: N818 - says what happened, as the host's TransitionNotAllowed
    """The workflow does not let that kind of actor make that move from the application's state."""


@dataclass(frozen=True)
class StaffMember:
    """A staff account the kit made: its id, username and the mobile its sign-in codes go to."""

    id: int
    username: str
    mobile: str


@dataclass(frozen=True)
class BillView:
    """One bill of an application: its number, amount (SAR), status (``unpaid``, ``paid``, ``expired``)."""

    number: str
    amount: Decimal
    status: str


@dataclass(frozen=True)
class SentMessage:
    """One message of the portal's outbox (SMS or email), as its recipient would read it.

    ``order`` grows with each message the portal writes, so messages to
    several addresses compare by it.
    """

    order: int
    channel: str
    recipient: str
    subject: str | None
    body: str
    purpose: str
    status: str


class RegistryChanges(Protocol):
    """The portal's registry with records changed after registration (a fine paid, an outage).

    ``changes``: ID number -> field -> value, applied to every lookup of that
    person (fields of the registry's record: ``unpaid_violations``,
    ``account_active``...); ``down``: every lookup fails as an outage does;
    ``script``: changes for the next lookups, one per lookup (``None``: that
    lookup fails as an outage).
    """

    changes: dict[str, dict[str, Any]]
    down: bool
    script: list[dict[str, Any] | None]

    def restore(self) -> None:
        """Put the portal's own registry back."""
        ...


@runtime_checkable
class HostTestKit(Protocol):
    """The host's side of the kit (``gateway.host`` entry point ``test_kit``)."""

    def sign_in_staff(
        self,
        app: Any,
        client: Any,
        username: str,
        roles: Mapping[str, str],
        scopes: Mapping[str, str],
        admin: bool,
    ) -> StaffMember:
        """Create a staff account with ``roles`` (program -> role) and sign ``client`` in as it."""
        ...

    def application(self, app: Any, reference: str) -> ApplicationView:
        """The application ``reference`` as plugins see it (``LookupError`` if there is none)."""
        ...

    def move_application(self, app: Any, reference: str, target: str, actor_kind: str, comment: str) -> ApplicationView:
        """Move it through its workflow as ``actor_kind`` (hook and payment rules included); commit."""
        ...

    def change_application(
        self, app: Any, reference: str, submitted_at: datetime | None, extra: Mapping[str, Any] | None
    ) -> ApplicationView:
        """Set when it was submitted and merge ``extra`` into its recorded values (to test rules about time)."""
        ...

    def bills(self, app: Any, reference: str) -> list[BillView]:
        """The application's bills, oldest first."""
        ...

    def outbox(self, app: Any, recipient: str) -> list[SentMessage]:
        """Every message to ``recipient`` (an E.164 mobile or an email address), oldest first."""
        ...

    def contact_of(self, app: Any, id_number: str) -> tuple[str, str | None]:
        """The portal person's mobile and email (``LookupError`` if they are not a person of the portal)."""
        ...

    def run_job(self, app: Any, name: str, slot: datetime | None) -> None:
        """Run the periodic job ``name`` now in this process (``LookupError`` naming the known jobs)."""
        ...

    def job_names(self, app: Any) -> list[str]:
        """The periodic jobs the portal registered (host and plugins), sorted."""
        ...

    def run_pending_tasks(self, app: Any) -> int:
        """Run every queued task as a worker would; how many ran."""
        ...

    def change_registry(self, app: Any) -> RegistryChanges:
        """Put a :class:`RegistryChanges` in front of the portal's registry (until ``restore()``)."""
        ...

    def load_demo_data(self, app: Any) -> list[str]:
        """What ``gateway demo load`` does: every serving plugin's demo data; the report's lines."""
        ...

    def close_portal(self, app: Any) -> None:
        """Close the portal's database connections (``make_portal`` does it after each test).

        Why: each test builds its own portals; on PostgreSQL their connection pools
        would otherwise stay open until the test process ends and exhaust the
        server's connections in a long suite.
        """
        ...


@cache
def host_kit() -> HostTestKit:
    """The installed host's :class:`HostTestKit` (``RuntimeError`` when no host is installed)."""
    try:
        factory = load_host_function("test_kit")
    except RuntimeError as missing:
        raise RuntimeError(
            f"{missing}; a host older than this kit has none: install the host made for this SDK"
            " (in a checkout, run make install again)"
        ) from None
    kit = factory()
    if not isinstance(kit, HostTestKit):
        raise RuntimeError("the installed host's test kit does not match this SDK's HostTestKit")
    return kit


__all__ = [
    "BillView",
    "HostTestKit",
    "RegistryChanges",
    "SentMessage",
    "StaffMember",
    "TransitionRefused",
    "host_kit",
]
