"""The host's side of the SDK's test kit (``bawaba_sdk.testing.host_kit.HostTestKit``).

Why here: a plugin's tests must make staff accounts, move applications, read
the outbox and run jobs without importing ``gateway`` (third parties cannot,
and the import rules forbid it for first-party plugins). The SDK finds
:func:`test_kit` through the ``gateway.host`` entry point and checks the object
against its protocol. Every method works only in a portal built with
``ENV=testing`` (``make_portal`` builds those), never in development or
production.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk.applications import ApplicationView
from bawaba_sdk.testing.host_kit import (
    BillView,
    HostTestKit,
    RegistryChanges,
    SentMessage,
    StaffMember,
    TransitionRefused,
)

from .applications.models import Application
from .applications.service import as_view, transition
from .applications.workflow import TransitionNotAllowed
from .backoffice.access import STAFF_KEY
from .backoffice.staff import StaffProblemsError, create_staff
from .demo import load_demo_data
from .identity.models import Person
from .identity.people import person_by_id_number
from .messaging.models import OutboxMessage
from .payments.models import Bill
from .registry.adapter import RegistryUnavailable
from .tasks import get_tasks, slot_key


def _for_tests_only(app: Flask) -> None:
    if app.config.get("GATEWAY_ENV") != "testing":
        raise RuntimeError("the SDK's test kit works only in a portal built for tests (ENV=testing)")


@contextmanager
def _db(app: Flask) -> Iterator[Session]:
    """A request context (translations, ``current_app``) and the request's session, as a view has them."""
    _for_tests_only(app)
    with app.test_request_context("/"):
        db: Session = app.extensions["gateway"].db_session()
        yield db


def _application_row(db: Session, reference: str) -> Application:
    found = db.scalars(select(Application).where(Application.reference == reference)).first()
    if found is None:
        raise LookupError(f"no application {reference!r}")
    return found


def _view(db: Session, application: Application) -> ApplicationView:
    person = db.get(Person, application.person_id)
    assert person is not None, "an application always belongs to a person (foreign key)"
    return as_view(application, person)


def _new_mobile() -> str:
    return "+96655" + "".join(secrets.choice("0123456789") for _ in range(7))


class ChangedRegistry:
    """The portal's registry with records changed (``bawaba_sdk.testing.host_kit.RegistryChanges``)."""

    def __init__(self, host: Any) -> None:
        self.host = host
        self.original = host.registry
        self.changes: dict[str, dict[str, Any]] = {}
        self.down = False
        self.script: list[dict[str, Any] | None] = []

    def lookup(self, id_number: str) -> Any:
        changes = self.changes.get(id_number, {})
        if self.script:
            scripted = self.script.pop(0)
            if scripted is None:
                raise RegistryUnavailable("the registry is switched off for this lookup (test kit)")
            changes = {**changes, **scripted}
        if self.down:
            raise RegistryUnavailable("the registry is switched off for this test (test kit)")
        record = self.original.lookup(id_number)
        if record is not None and changes:
            record = dataclasses.replace(record, **changes)
        return record

    def restore(self) -> None:
        self.host.registry = self.original

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


class GatewayTestKit:
    """Implements :class:`bawaba_sdk.testing.host_kit.HostTestKit` with the host's own services."""

    def sign_in_staff(
        self,
        app: Any,
        client: Any,
        username: str,
        roles: Mapping[str, str],
        scopes: Mapping[str, str],
        admin: bool,
    ) -> StaffMember:
        with _db(app) as db:
            try:
                account = create_staff(
                    db,
                    username=username,
                    full_name=f"{username.title()} Staff",
                    mobile=_new_mobile(),
                    password=secrets.token_urlsafe(24),
                    is_admin=admin,
                    roles=roles,
                    scopes=scopes,
                )
            except StaffProblemsError as refused:
                raise ValueError(f"the host refused staff account {username!r}: {refused.errors}") from refused
            db.commit()
            member = StaffMember(account.id, account.username, account.mobile)
        with client.session_transaction() as signed:
            signed.clear()
            signed[STAFF_KEY] = member.id
        return member

    def application(self, app: Any, reference: str) -> ApplicationView:
        with _db(app) as db:
            return _view(db, _application_row(db, reference))

    def move_application(self, app: Any, reference: str, target: str, actor_kind: str, comment: str) -> ApplicationView:
        with _db(app) as db:
            application = _application_row(db, reference)
            try:
                transition(db, application, target, actor=f"test:{actor_kind}", actor_kind=actor_kind, comment=comment)
            except TransitionNotAllowed as refused:
                db.rollback()
                raise TransitionRefused(str(refused)) from refused
            db.commit()
            return _view(db, application)

    def change_application(
        self, app: Any, reference: str, submitted_at: datetime | None, extra: Mapping[str, Any] | None
    ) -> ApplicationView:
        with _db(app) as db:
            application = _application_row(db, reference)
            if submitted_at is not None:
                application.submitted_at = submitted_at
            if extra is not None:
                application.extra = {**(application.extra or {}), **extra}
            db.commit()
            return _view(db, application)

    def bills(self, app: Any, reference: str) -> list[BillView]:
        with _db(app) as db:
            application = _application_row(db, reference)
            rows = db.scalars(select(Bill).where(Bill.application_id == application.id).order_by(Bill.id)).all()
            return [BillView(bill.bill_number, bill.amount, bill.status) for bill in rows]

    def outbox(self, app: Any, recipient: str) -> list[SentMessage]:
        with _db(app) as db:
            rows = db.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
            ).all()
            return [
                SentMessage(row.id, row.channel, row.recipient, row.subject, row.body, row.purpose, row.status)
                for row in rows
            ]

    def contact_of(self, app: Any, id_number: str) -> tuple[str, str | None]:
        with _db(app) as db:
            person = person_by_id_number(db, id_number)
            if person is None:
                raise LookupError(f"{id_number} is not a person of the portal (sign them in or register them first)")
            return person.mobile, person.email

    def run_job(self, app: Any, name: str, slot: datetime | None) -> None:
        _for_tests_only(app)
        queue = get_tasks(app)
        if name not in queue.periodic:
            raise LookupError(f"no periodic job {name!r} (known: {', '.join(sorted(queue.periodic)) or 'none'})")
        queue.run_periodic_now(name, slot_key(slot or datetime.now(UTC)))

    def job_names(self, app: Any) -> list[str]:
        _for_tests_only(app)
        return sorted(get_tasks(app).periodic)

    def run_pending_tasks(self, app: Any) -> int:
        _for_tests_only(app)
        return get_tasks(app).run_pending()

    def change_registry(self, app: Any) -> RegistryChanges:
        _for_tests_only(app)
        host = app.extensions["gateway"]
        changed = ChangedRegistry(host)
        host.registry = changed
        return changed

    def load_demo_data(self, app: Any) -> list[str]:
        _for_tests_only(app)
        with app.app_context():
            return load_demo_data(app.extensions["gateway"])

    def close_portal(self, app: Any) -> None:
        # Any portal make_portal built, tests of the refusals (ENV=production) included: closing is harmless.
        app.extensions["gateway"].database.dispose()


def test_kit() -> HostTestKit:
    """The kit the SDK loads through the ``gateway.host`` entry point ``test_kit``."""
    return GatewayTestKit()


test_kit.__test__ = False  # type: ignore[attr-defined]  # not a pytest test, despite its name
