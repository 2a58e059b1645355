"""The monthly cycle: every approved household assessed from its confirmed profile for the month.

The cycle's day is the first day of each Gregorian month, moved to the next
working day past the weekend days and the non-working days operators
configure (``GATEWAY_SOCIAL_SECURITY_WEEKEND_DAYS``, ``…_NON_WORKING_DAYS``).
The scheduled job ``social_security.monthly_cycle`` runs daily (its schedule is
the setting ``cycle_schedule``) and does the month once its cycle day has
come; a run that finds every household of the month done does nothing, so a
repeat, a run resumed after a crash, or a run on several workers at once pays
nobody twice (the unique row per household and month, see ``payments_db``).
Operators run it by hand with ``gateway worker run-job social_security.monthly_cycle --slot YYYY-MM-DD``.

Each household is assessed with that month's parameters (in force on its
first day) by the same calculation as the estimate and the API, and the
explanation is stored with the amount, so the statement shows exactly how it
was worked out even after the rules change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from marshmallow import ValidationError
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

import bawaba_sdk as sdk

from .calendar_days import cycle_day
from .entitlement import entitlement
from .household import situation_from_profile
from .payments_db import PAID, PENDING, SUSPENDED, MonthlyEntitlement
from .situation import load_situation

SLUG = "social_security"
PROFILE = "profile"
"""The unified profile's standing record."""
APPROVED = "approved"
"""The application state that makes a household part of the cycle."""
BATCH = 500
"""Households claimed and assessed per transaction."""

NO_PROFILE, NOT_ELIGIBLE, BAD_PROFILE = "no_confirmed_profile", "not_eligible", "bad_profile"


@dataclass(frozen=True)
class CycleReport:
    """What one run did for a month (a repeat reports zeros)."""

    month: date
    added: int
    paid: int
    suspended: int

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.added} households added, {self.paid} paid, {self.suspended} suspended"


def monthly_cycle(slot: datetime) -> None:
    """The scheduled job: do the slot's month once its cycle day has come (daily runs catch up)."""
    settings = sdk.plugin_settings(SLUG)
    day = slot.astimezone(UTC).date()
    month = day.replace(day=1)
    if day < cycle_day(month, settings["weekend_days"], settings["non_working_days"]):
        return
    run_cycle(sdk.db_session(), month)


def run_cycle(db: Session, month: date, *, owners: Sequence[int] | None = None) -> CycleReport:
    """Assess every approved household for ``month`` that is not assessed yet; commit batch by batch."""
    month = month.replace(day=1)
    owners = list(owners) if owners is not None else sdk.applicants_in_state(SLUG, APPROVED)
    added = _add_pending(db, month, owners)
    db.commit()
    paid = suspended = 0
    parameters = sdk.plugin_parameters(SLUG)
    while True:
        batch = _claim(db, month)
        if not batch:
            break
        profiles = sdk.confirmed_versions(SLUG, PROFILE, [row.owner_id for row in batch])
        with sdk.in_language("en"):  # a worker has no request: messages of a refused profile need a language
            for row in batch:
                _assess(row, month, parameters, profiles.get(row.owner_id))
                paid += row.status == PAID
                suspended += row.status == SUSPENDED
        db.commit()
    return CycleReport(month, added, paid, suspended)


def _add_pending(db: Session, month: date, owners: Sequence[int]) -> int:
    """A pending row per household without one for the month; the unique constraint skips the rest."""
    table = MonthlyEntitlement.__table__
    assert isinstance(table, Table)
    insert = postgresql_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(owners), 1000):
        rows = [{"owner_id": owner, "month": month, "status": PENDING} for owner in owners[start : start + 1000]]
        statement = insert(table).values(rows).on_conflict_do_nothing(index_elements=["owner_id", "month"])
        added += len(db.execute(statement.returning(table.c.id)).all())
    return added


def _claim(db: Session, month: date) -> list[MonthlyEntitlement]:
    """The next pending rows of the month, held by this worker (others skip them on PostgreSQL)."""
    query = (
        select(MonthlyEntitlement)
        .where(MonthlyEntitlement.month == month, MonthlyEntitlement.status == PENDING)
        .order_by(MonthlyEntitlement.id)
        .limit(BATCH)
    )
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.scalars(query).all())


def _assess(
    row: MonthlyEntitlement, month: date, parameters: sdk.ParameterSet, version: sdk.RecordVersion | None
) -> None:
    """Fill one household's month from its confirmed profile: paid with the amount and explanation, or suspended."""
    row.assessed_on = month
    row.assessed_at = datetime.now(UTC)
    if version is None:
        row.status, row.reason, row.amount = SUSPENDED, NO_PROFILE, None
        return
    row.profile_version_id = version.id
    try:
        situation = load_situation(situation_from_profile(version.data, month))
        result = entitlement(situation, parameters)
    except (ValidationError, KeyError, LookupError, ValueError, TypeError):
        row.status, row.reason, row.amount = SUSPENDED, BAD_PROFILE, None
        return
    row.explanation = result.to_storage()
    row.amount = result.amount
    if result.eligible and result.amount > 0:
        row.status, row.reason = PAID, None
    else:
        row.status, row.reason = SUSPENDED, NOT_ELIGIBLE


def history(db: Session, owner_id: int) -> list[MonthlyEntitlement]:
    """The household's assessed months, newest first (pending ones are not shown yet)."""
    return list(
        db.scalars(
            select(MonthlyEntitlement)
            .where(MonthlyEntitlement.owner_id == owner_id, MonthlyEntitlement.status != PENDING)
            .order_by(MonthlyEntitlement.month.desc())
        ).all()
    )


CYCLE = sdk.ScheduledJob(
    name="monthly_cycle",
    run=monthly_cycle,
    setting="cycle_schedule",
    description="assess every approved household for the month, from its confirmed profile",
)
