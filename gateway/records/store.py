"""Keeping standing records: the owner's row, saving a section in the draft, confirming a version.

Functions take the session and never commit (the view commits with whatever
else the request did), like the forms' drafts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bawaba_sdk.records import RecordState, RecordVersion

from .models import RecordMemberRow, RecordVersionRow, StandingRecordRow, utc_now


def find_row(db: Session, program: str, name: str, owner_id: int) -> StandingRecordRow | None:
    return db.scalars(
        select(StandingRecordRow).where(
            StandingRecordRow.program == program, StandingRecordRow.name == name, StandingRecordRow.owner_id == owner_id
        )
    ).first()


def row_for(db: Session, program: str, name: str, owner_id: int) -> StandingRecordRow:
    """The owner's row, made (and flushed) when they have none yet; a parallel first save finds the other's."""
    row = find_row(db, program, name, owner_id)
    if row is not None:
        return row
    row = StandingRecordRow(program=program, name=name, owner_id=owner_id, confirmed_number=0, created_at=utc_now())
    savepoint = db.begin_nested()
    db.add(row)
    try:
        db.flush()
    except IntegrityError:
        savepoint.rollback()
        existing = find_row(db, program, name, owner_id)
        if existing is None:
            raise
        return existing
    savepoint.commit()
    return row


def versions_of(db: Session, row: StandingRecordRow) -> list[RecordVersionRow]:
    """Every confirmed version of the record, newest first."""
    return list(
        db.scalars(
            select(RecordVersionRow)
            .where(RecordVersionRow.record_id == row.id)
            .order_by(RecordVersionRow.number.desc())
        ).all()
    )


def as_version(row: StandingRecordRow, version: RecordVersionRow) -> RecordVersion:
    return RecordVersion(
        id=version.id,
        program=row.program,
        record=row.name,
        owner_id=row.owner_id,
        number=version.number,
        data=version.data,
        author=version.author,
        created_at=version.created_at,
        changed=tuple(version.changed),
    )


def state_of(db: Session, program: str, name: str, owner_id: int) -> RecordState | None:
    """What ``sdk.current_record`` answers: the draft, the confirmed version and the history."""
    row = find_row(db, program, name, owner_id)
    if row is None:
        return None
    versions = tuple(as_version(row, version) for version in versions_of(db, row))
    return RecordState(
        program=program,
        record=name,
        owner_id=owner_id,
        draft=row.draft,
        confirmed=versions[0] if versions else None,
        versions=versions,
    )


def confirmed_versions(db: Session, program: str, name: str, owner_ids: Iterable[int]) -> dict[int, RecordVersion]:
    """Each owner's latest confirmed version, by owner id, in one query (owners without one are absent)."""
    wanted = sorted(set(owner_ids))
    if not wanted:
        return {}
    found = db.execute(
        select(StandingRecordRow, RecordVersionRow)
        .join(
            RecordVersionRow,
            (RecordVersionRow.record_id == StandingRecordRow.id)
            & (RecordVersionRow.number == StandingRecordRow.confirmed_number),
        )
        .where(
            StandingRecordRow.program == program,
            StandingRecordRow.name == name,
            StandingRecordRow.owner_id.in_(wanted),
        )
    ).all()
    return {row.owner_id: as_version(row, version) for row, version in found}


def confirmed_data(db: Session, row: StandingRecordRow) -> dict[str, Any]:
    if row.confirmed_number == 0:
        return {}
    version = db.scalars(
        select(RecordVersionRow).where(
            RecordVersionRow.record_id == row.id, RecordVersionRow.number == row.confirmed_number
        )
    ).one()
    return dict(version.data)


def working_data(db: Session, row: StandingRecordRow) -> dict[str, Any]:
    """What the owner edits: the draft, or a copy of the confirmed data when no change is pending."""
    return dict(row.draft) if row.draft is not None else confirmed_data(db, row)


def save_section(db: Session, row: StandingRecordRow, section: str, data: dict[str, Any]) -> None:
    """Keep one section's checked answers in the draft (started from the confirmed data)."""
    row.draft = {**working_data(db, row), section: data}
    row.draft_updated_at = utc_now()


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """``section.field`` for every answer that differs (a repeating group counts as one field)."""
    changed: list[str] = []
    for section in sorted(set(before) | set(after)):
        old = before.get(section) or {}
        new = after.get(section) or {}
        changed += [f"{section}.{key}" for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    return changed


def holder_of(db: Session, program: str, name: str, id_number: str) -> int | None:
    """The owner of the confirmed record listing ``id_number``, or ``None``."""
    return db.scalars(
        select(StandingRecordRow.owner_id)
        .join(RecordMemberRow, RecordMemberRow.record_id == StandingRecordRow.id)
        .where(RecordMemberRow.program == program, RecordMemberRow.name == name, RecordMemberRow.id_number == id_number)
    ).first()


def listed_elsewhere(
    db: Session, program: str, name: str, record_id: int | None, id_numbers: Iterable[str]
) -> list[str]:
    """The ID numbers already covered by another owner's confirmed record of the same kind."""
    wanted = sorted(set(id_numbers))
    if not wanted:
        return []
    query = select(RecordMemberRow.id_number).where(
        RecordMemberRow.program == program, RecordMemberRow.name == name, RecordMemberRow.id_number.in_(wanted)
    )
    if record_id is not None:
        query = query.where(RecordMemberRow.record_id != record_id)
    found = db.scalars(query).all()
    return sorted(set(found))


class MemberTaken(Exception):  # noqa: N818 - a refusal, not a bug
    """Someone the record lists is already in another owner's confirmed record."""

    def __init__(self, id_numbers: list[str]) -> None:
        super().__init__(", ".join(id_numbers))
        self.id_numbers = id_numbers


def confirm(db: Session, row: StandingRecordRow, data: dict[str, Any], author: str, members: Iterable[str]) -> int:
    """Make the next version from ``data`` (checked by the caller) and index its members; return its id.

    Raises :class:`MemberTaken` when another record took a member first (the
    unique index decides a race); nothing is kept then.
    """
    members = sorted(set(members))
    taken = listed_elsewhere(db, row.program, row.name, row.id, members)
    if taken:
        raise MemberTaken(taken)
    before = confirmed_data(db, row)
    number = row.confirmed_number + 1
    version = RecordVersionRow(
        record_id=row.id,
        number=number,
        data=data,
        author=author,
        changed=changed_fields(before, data),
        created_at=utc_now(),
    )
    savepoint = db.begin_nested()
    try:
        db.add(version)
        db.execute(delete(RecordMemberRow).where(RecordMemberRow.record_id == row.id))
        db.add_all(
            RecordMemberRow(record_id=row.id, program=row.program, name=row.name, id_number=id_number)
            for id_number in members
        )
        row.confirmed_number = number
        row.draft = None
        row.draft_updated_at = None
        db.flush()
    except IntegrityError as exc:
        savepoint.rollback()
        db.refresh(row)
        raise MemberTaken(listed_elsewhere(db, row.program, row.name, row.id, members) or members) from exc
    savepoint.commit()
    return version.id
