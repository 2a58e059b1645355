"""What a plugin may ask of the host while it serves a request.

The SDK never imports the host. Instead the host puts an object that
satisfies :class:`Host` into ``app.extensions[HOST_EXTENSION]`` and the
functions here look it up through Flask's ``current_app``; so a plugin works
in any app the factory builds, including the many apps a test suite builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.orm import Session

    from .applications import ApplicationView
    from .calculations import Calculation
    from .codes import CodeSent
    from .identity import PersonView
    from .parameters import ParameterSet
    from .program import Program
    from .records import RecordState, RecordVersion
    from .registry import RegistryStanding

HOST_EXTENSION = "gateway"
"""The key of the host object in ``app.extensions``."""


class Host(Protocol):
    """The part of the host a plugin may use; stable under the SDK's deprecation policy."""

    def db_session(self) -> Session:
        """The database session of the current request (closed by the host)."""
        ...

    def settings_for(self, program_slug: str) -> Mapping[str, Any]:
        """The parsed settings a plugin declared, by setting name."""
        ...

    def parameters_for(self, program_slug: str) -> ParameterSet:
        """The program's dated parameters with the operators' overrides applied (empty if it declares none)."""
        ...

    def calculations_for(self, program_slug: str) -> Mapping[str, Calculation]:
        """The calculations the program declared, by name (empty if it declares none)."""
        ...

    def enabled_programs(self) -> list[Program]:
        """The programs that are enabled and serving, in display order."""
        ...

    def current_person(self) -> PersonView | None:
        """The person signed in on the current request, or ``None``."""
        ...

    def sign_in_url(self, next_path: str) -> str:
        """The portal's sign-in page, returning to ``next_path`` (a local path) afterwards."""
        ...

    def registry_standing(self, id_number: str) -> RegistryStanding | None:
        """The registry's answer for ``id_number`` now (``None``: unknown); raises ``sdk.RegistryUnavailable``."""
        ...

    def registry_confirms(self, id_number: str, birth_date: date) -> bool:
        """Whether the registry knows ``id_number`` (a person or a family register's member) born on ``birth_date``."""
        ...

    def applications(
        self, program_slug: str, person: PersonView, service_slug: str | None = None
    ) -> list[ApplicationView]:
        """The person's own applications to ``program_slug`` (one service's, if named), newest first."""
        ...

    def application_url(self, reference: str) -> str:
        """The page where the person follows one of their applications."""
        ...

    def send_person_code(self, purpose: str, channel: str) -> CodeSent:
        """Send a one-time code for ``purpose`` to the signed-in person's own mobile or email (SDK 0.6)."""
        ...

    def check_person_code(self, purpose: str, code: str) -> str:
        """Check the signed-in person's code for ``purpose``; one of ``sdk.codes.CHECK_RESULTS`` (SDK 0.6)."""
        ...

    def limit_plugin_view(
        self, view: Callable[..., Any], key: str, rate: Callable[[], str], methods: tuple[str, ...] | None
    ) -> Callable[..., Any]:
        """``view`` wrapped by the host's limiter at ``rate()`` per address, for ``sdk.rate_limit`` (SDK 0.6)."""
        ...

    def applicants_in_state(self, program_slug: str, state: str, service_slug: str | None = None) -> list[int]:
        """The ids of the people with an application to the program in ``state``, ascending."""
        ...

    def record_state(self, program_slug: str, name: str, owner_id: int) -> RecordState | None:
        """The owner's standing record ``name`` of the program (draft, confirmed version, history), or ``None``."""
        ...

    def confirmed_versions(self, program_slug: str, name: str, owner_ids: Iterable[int]) -> dict[int, RecordVersion]:
        """The latest confirmed version of each owner's record, by owner id (owners without one are absent)."""
        ...

    def record_holder(self, program_slug: str, name: str, id_number: str) -> int | None:
        """The owner id of the confirmed record listing ``id_number`` as owner or member, or ``None``."""
        ...

    def record_url(self, program_slug: str, name: str) -> str:
        """The first page of the signed-in person's standing record."""
        ...


def current_host() -> Host:
    """The host serving the current request or app context."""
    try:
        host: Host = current_app.extensions[HOST_EXTENSION]
        return host
    except KeyError as exc:  # pragma: no cover - only outside a gateway app
        raise RuntimeError("no Bawaba host is registered on this Flask app") from exc


def db_session() -> Session:
    """Shortcut for ``current_host().db_session()``."""
    return current_host().db_session()


def plugin_settings(program_slug: str) -> Mapping[str, Any]:
    """Shortcut for ``current_host().settings_for(program_slug)``."""
    return current_host().settings_for(program_slug)


def plugin_parameters(program_slug: str) -> ParameterSet:
    """Shortcut for ``current_host().parameters_for(program_slug)``: the values to compute with.

    ``plugin_parameters("parks").at(day)["fee.booking"].value`` is the value
    in force on ``day``, an operator's ``GATEWAY_PARKS_P_FEE_BOOKING`` included.
    """
    return current_host().parameters_for(program_slug)
