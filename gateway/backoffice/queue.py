"""A program's queue: its applications only, filtered and paged.

Every query here starts from ``Application.program == program``; there is no
way to ask this module for an application without naming the program, which
is what keeps one program's staff out of another's applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..applications.display import RIYADH
from ..applications.models import Application
from ..applications.references import normalise_reference
from .models import ApplicationAssignment, StaffAccount

PAGE_SIZE = 25
MAX_PAGE = 10_000


class BadFilterError(ValueError):
    """A filter value that cannot be used (the field name says which)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reference: str = ""
    page: int = 1


@dataclass(frozen=True)
class QueuePage:
    applications: list[Application]
    total: int
    page: int
    pages: int


def parse_filters(args: dict[str, str], states: set[str]) -> QueueFilters:
    """Filters from the query string; raises :class:`BadFilterError` for a value that is not one."""
    state = args.get("state", "").strip()
    if state and state not in states:
        raise BadFilterError("state")
    date_from = _date(args.get("date_from", ""), "date_from")
    date_to = _date(args.get("date_to", ""), "date_to")
    typed = args.get("reference", "").strip()
    reference = ""
    if typed:
        reference = normalise_reference(typed) or ""
        if not reference:
            raise BadFilterError("reference")
    try:
        page = int(args.get("page", "1") or "1")
    except ValueError as exc:
        raise BadFilterError("page") from exc
    if not 1 <= page <= MAX_PAGE:
        raise BadFilterError("page")
    return QueueFilters(state=state, date_from=date_from, date_to=date_to, reference=reference, page=page)


def _date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if len(text) != len("2026-01-31"):
        raise BadFilterError(field)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadFilterError(field) from exc


def _start_of(day: date) -> datetime:
    """Midnight in Saudi time: staff mean the Saudi calendar day."""
    return datetime.combine(day, time.min, tzinfo=RIYADH)


def program_queue(db: Session, program: str, filters: QueueFilters, scope: str | None = None) -> QueuePage:
    """One page of the program's applications (only ``scope``'s when the staff member is limited to one)."""
    query = select(Application).where(Application.program == program)
    if scope is not None:
        query = query.where(Application.scope == scope)
    if filters.state:
        query = query.where(Application.state == filters.state)
    if filters.date_from is not None:
        query = query.where(Application.submitted_at >= _start_of(filters.date_from))
    if filters.date_to is not None:
        query = query.where(Application.submitted_at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.reference:
        query = query.where(Application.reference == filters.reference)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    rows = db.scalars(
        query.order_by(Application.submitted_at.desc(), Application.id.desc())
        .offset((filters.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return QueuePage(applications=list(rows), total=total, page=filters.page, pages=pages)


def program_application(db: Session, program: str, reference: str, scope: str | None = None) -> Application | None:
    """The application with ``reference`` if it belongs to ``program`` (and ``scope``); ``None`` otherwise."""
    canonical = normalise_reference(reference)
    if canonical is None:
        return None
    query = select(Application).where(Application.program == program, Application.reference == canonical)
    if scope is not None:
        query = query.where(Application.scope == scope)
    return db.scalars(query).first()


def assignment_of(db: Session, application_id: int) -> ApplicationAssignment | None:
    return db.scalars(
        select(ApplicationAssignment).where(ApplicationAssignment.application_id == application_id)
    ).first()


def assignees_by_application(db: Session, application_ids: list[int]) -> dict[int, StaffAccount]:
    if not application_ids:
        return {}
    rows = db.scalars(
        select(ApplicationAssignment).where(ApplicationAssignment.application_id.in_(application_ids))
    ).all()
    return {row.application_id: row.staff for row in rows}
