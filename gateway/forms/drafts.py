"""Keeping drafts: find or start one, save a step, list them, purge the stale ones.

Functions take the session and never commit: the view that changes a draft
commits it together with whatever else the request did.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Draft, utc_now


def find_draft(db: Session, person_id: int, program: str, service: str) -> Draft | None:
    return db.scalars(
        select(Draft).where(Draft.person_id == person_id, Draft.program == program, Draft.service == service)
    ).first()


def hold_for_submission(db: Session, draft: Draft) -> Draft | None:
    """Hold ``draft`` until this transaction ends, so a second click on "send" waits for the first.

    Why: two submits of one draft used to race; the loser found the
    documents already attached (a 400 on PostgreSQL) or the database locked
    (a 500 on SQLite). Now the second waits here until the first has
    committed, then finds the draft gone (``None``) and the application made,
    and answers with it. On PostgreSQL this is ``SELECT ... FOR UPDATE``; on
    SQLite the request's transaction already began with the write lock
    (``Database.session``), which serialises the two the same way.
    """
    query = select(Draft).where(Draft.id == draft.id).execution_options(populate_existing=True)
    if db.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    return db.scalars(query).first()


def draft_for(db: Session, person_id: int, program: str, service: str, *, now: datetime | None = None) -> Draft:
    """The person's live draft of the service, started (and flushed) if there is none yet."""
    draft = find_draft(db, person_id, program, service)
    if draft is not None:
        return draft
    moment = now or utc_now()
    draft = Draft(
        person_id=person_id, program=program, service=service, answers={}, created_at=moment, updated_at=moment
    )
    savepoint = db.begin_nested()
    db.add(draft)
    try:
        db.flush()
    except IntegrityError:  # a second tab or a double click started it at the same moment
        savepoint.rollback()
        existing = find_draft(db, person_id, program, service)
        if existing is None:
            raise
        return existing
    savepoint.commit()
    return draft


def save_step(draft: Draft, step: str, data: dict[str, Any], *, now: datetime | None = None) -> None:
    """Store one step's answers; any earlier "check your answers" key no longer matches what was checked."""
    draft.answers = {**draft.answers, step: data}
    draft.submission_key = None
    draft.updated_at = now or utc_now()


def drafts_of(db: Session, person_id: int) -> list[Draft]:
    """The person's drafts, most recently touched first (the dashboard offers "continue")."""
    return list(db.scalars(select(Draft).where(Draft.person_id == person_id).order_by(Draft.updated_at.desc())).all())


def purge_stale_drafts(db: Session, older_than_days: int, *, now: datetime | None = None) -> int:
    """Delete drafts untouched for ``older_than_days`` days; return how many went. The caller commits."""
    cutoff = (now or utc_now()) - timedelta(days=older_than_days)
    result = db.execute(delete(Draft).where(Draft.updated_at < cutoff).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
