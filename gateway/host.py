"""The object a plugin reaches through ``sdk.current_host()``.

It bundles what one app owns: its settings, database and plugin manager.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from bawaba_sdk.applications import ApplicationView
from bawaba_sdk.calculations import Calculation
from bawaba_sdk.codes import CodeSent
from bawaba_sdk.identity import PersonView
from bawaba_sdk.parameters import ParameterSet
from bawaba_sdk.program import Program
from bawaba_sdk.records import RecordState, RecordVersion
from bawaba_sdk.registry import RegistryStanding

from .database import Database
from .migrate import MigrationComponent, host_component
from .plugin_manager import GatewayPluginManager
from .redirects import is_local_path
from .registry.adapter import RegistryAdapter

EMPTY_PARAMETERS = ParameterSet(())
"""What a program that declares no parameters has."""


class GatewayHost:
    """The host of one app; satisfies :class:`sdk.host.Host`."""

    def __init__(
        self,
        settings: Mapping[str, Any],
        instance_path: Path,
        database: Database,
        plugins: GatewayPluginManager,
        registry: RegistryAdapter,
    ) -> None:
        self.settings = dict(settings)
        self.instance_path = instance_path
        self.database = database
        self.plugins = plugins
        self.registry: RegistryAdapter = registry

    # sdk.host.Host
    def db_session(self) -> Session:
        return self.database.session()

    def settings_for(self, program_slug: str) -> Mapping[str, Any]:
        for record in self.plugins.records.values():
            if record.program is not None and record.program.slug == program_slug:
                return dict(record.settings)
        raise KeyError(f"no program {program_slug!r}")

    def parameters_for(self, program_slug: str) -> ParameterSet:
        for record in self.plugins.records.values():
            if record.program is not None and record.program.slug == program_slug:
                return record.parameters if record.parameters is not None else EMPTY_PARAMETERS
        raise KeyError(f"no program {program_slug!r}")

    def calculations_for(self, program_slug: str) -> Mapping[str, Calculation]:
        for record in self.plugins.records.values():
            if record.program is not None and record.program.slug == program_slug:
                return dict(record.calculations)
        raise KeyError(f"no program {program_slug!r}")

    def enabled_programs(self) -> list[Program]:
        return [record.program for record in self.plugins.serving() if record.program is not None]

    def current_person(self) -> PersonView | None:
        from .identity.current import current_person

        return current_person()

    def sign_in_url(self, next_path: str) -> str:
        return url_for("account.sign_in_page", next=next_path if is_local_path(next_path) else None)

    def registry_standing(self, id_number: str) -> RegistryStanding | None:
        record = self.registry.lookup(id_number)
        if record is None:
            return None
        return RegistryStanding(
            account_active=record.account_active,
            unpaid_violations=record.unpaid_violations,
            monthly_income=getattr(record, "monthly_income", None),
        )

    def registry_confirms(self, id_number: str, birth_date: date) -> bool:
        record = self.registry.lookup(id_number)
        if record is not None:
            return bool(record.birth_date == birth_date)
        try:
            records = self.registry.all_records()
            return any(
                member.id_number == id_number and member.birth_date == birth_date
                for other in records
                for member in other.household
            )
        except NotImplementedError:  # a real registry answers members through lookup itself
            return False

    def applications(
        self, program_slug: str, person: PersonView, service_slug: str | None = None
    ) -> list[ApplicationView]:
        from .applications.views_for_plugins import applications_for_plugin

        return applications_for_plugin(self.db_session(), program_slug, person, service_slug)

    def application_url(self, reference: str) -> str:
        return url_for("applications.detail", reference=reference)

    def send_person_code(self, purpose: str, channel: str) -> CodeSent:
        from .identity.plugin_codes import send_person_code

        return send_person_code(self.db_session(), purpose, channel)

    def check_person_code(self, purpose: str, code: str) -> str:
        from .identity.plugin_codes import check_person_code

        return check_person_code(self.db_session(), purpose, code)

    def limit_plugin_view(
        self, view: Callable[..., Any], key: str, rate: Callable[[], str], methods: tuple[str, ...] | None
    ) -> Callable[..., Any]:
        from .ratelimit import limit_plugin_view

        return limit_plugin_view(view, key, rate, methods)

    def applicants_in_state(self, program_slug: str, state: str, service_slug: str | None = None) -> list[int]:
        from sqlalchemy import select

        from .applications.models import Application

        query = select(Application.person_id).where(Application.program == program_slug, Application.state == state)
        if service_slug is not None:
            query = query.where(Application.service == service_slug)
        return sorted(set(self.db_session().scalars(query).all()))

    def record_state(self, program_slug: str, name: str, owner_id: int) -> RecordState | None:
        from .records.store import state_of

        return state_of(self.db_session(), program_slug, name, owner_id)

    def confirmed_versions(self, program_slug: str, name: str, owner_ids: Iterable[int]) -> dict[int, RecordVersion]:
        from .records.store import confirmed_versions

        return confirmed_versions(self.db_session(), program_slug, name, owner_ids)

    def record_holder(self, program_slug: str, name: str, id_number: str) -> int | None:
        from .records.store import holder_of

        return holder_of(self.db_session(), program_slug, name, id_number)

    def record_url(self, program_slug: str, name: str) -> str:
        return url_for("records.overview", program=program_slug, name=name)

    # host-only helpers
    def migration_components(self) -> list[MigrationComponent]:
        """The host first, then each serving plugin that has tables."""
        components = [host_component()]
        for record in self.plugins.serving():
            if record.program is not None and record.database is not None:
                components.append(
                    MigrationComponent(
                        name=record.program.slug,
                        metadata=record.database.metadata,
                        versions=record.database.migrations,
                        version_table=f"alembic_version_{record.program.slug}",
                    )
                )
        return components

    def component(self, name: str) -> MigrationComponent:
        for component in self.migration_components():
            if component.name == name:
                return component
        raise KeyError(name)
