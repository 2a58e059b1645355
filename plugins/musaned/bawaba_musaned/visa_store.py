"""Issued visas: the ``musaned_visas`` table and the queries the pages and the workflow make.

A visa is issued once per request, when staff move a ``new_visa`` application
to ``issued``. The application itself stays in the host's store (its answers,
documents, bills and history); this table holds only what the visa adds: its
number, its dates, and the two facts a visa is looked up by (the worker type
and nationality), so the list of visas needs no walk through every
application. Rows are keyed by the person's opaque ``subject``, never by an
ID number or a name.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Date, DateTime, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base

VISA_NUMBER_LENGTH = 10
"""Nine random digits and a Luhn check digit: a mistyped digit is caught before any lookup."""
MAX_DRAWS = 20
"""Draws before giving up on a free number; with 900 million numbers a second draw is already rare."""


class Visa(Base):
    """One issued recruitment visa."""

    __tablename__ = "musaned_visas"

    id: Mapped[int] = mapped_column(primary_key=True)
    visa_number: Mapped[str] = mapped_column(String(VISA_NUMBER_LENGTH), unique=True)
    application_reference: Mapped[str] = mapped_column(String(20), unique=True)
    """The ``new_visa`` request the visa was issued for (one visa per request)."""
    person_subject: Mapped[str] = mapped_column(String(64), index=True)
    worker_type: Mapped[str] = mapped_column(String(40))
    nationality: Mapped[str] = mapped_column(String(2))
    """The worker's nationality, an ISO 3166-1 alpha-2 code."""
    issued_on: Mapped[datetime.date] = mapped_column(Date)
    expires_on: Mapped[datetime.date] = mapped_column(Date)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))

    def is_valid_on(self, day: datetime.date) -> bool:
        """Still usable on ``day``: a visa is valid through its expiry date."""
        return self.issued_on <= day <= self.expires_on


@dataclass(frozen=True)
class NewVisa:
    """What the workflow knows when it issues a visa."""

    application_reference: str
    person_subject: str
    worker_type: str
    nationality: str
    issued_on: datetime.date
    expires_on: datetime.date


def luhn_check_digit(digits: str) -> str:
    """The digit that makes ``digits`` + it pass the Luhn check (as ID numbers do)."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_visa_number(text: str) -> bool:
    """Ten ASCII digits, not starting with 0, whose last digit checks the others."""
    return (
        len(text) == VISA_NUMBER_LENGTH
        and text.isascii()
        and text.isdigit()
        and text[0] != "0"
        and luhn_check_digit(text[:-1]) == text[-1]
    )


def draw_visa_number() -> str:
    """A random visa number (unpredictable: it is read out and typed, never a counter)."""
    body = str(secrets.choice(range(1, 10))) + "".join(str(secrets.randbelow(10)) for _ in range(8))
    return body + luhn_check_digit(body)


def issue_visa(session: Session, new: NewVisa, now: datetime.datetime) -> Visa:
    """Record the visa of ``new.application_reference``, or return the one already issued for it.

    The number is drawn until it is free (checked in the same transaction,
    with the unique constraint as the last word); issuing twice for one
    request returns the first visa, so a repeated move cannot give two.
    """
    existing = visa_for_application(session, new.application_reference)
    if existing is not None:
        return existing
    for _ in range(MAX_DRAWS):
        number = draw_visa_number()
        if session.scalars(select(Visa.id).where(Visa.visa_number == number)).first() is None:
            break
    else:  # pragma: no cover - would take a nearly full number space
        raise RuntimeError(f"no free visa number after {MAX_DRAWS} draws")
    visa = Visa(
        visa_number=number,
        application_reference=new.application_reference,
        person_subject=new.person_subject,
        worker_type=new.worker_type,
        nationality=new.nationality,
        issued_on=new.issued_on,
        expires_on=new.expires_on,
        created_at=now,
    )
    session.add(visa)
    session.flush()
    return visa


def visa_for_application(session: Session, reference: str) -> Visa | None:
    """The visa issued for the request ``reference``, if any."""
    return session.scalars(select(Visa).where(Visa.application_reference == reference)).first()


def visas_of(session: Session, person_subject: str) -> Sequence[Visa]:
    """The person's visas, newest first; never anyone else's."""
    query = select(Visa).where(Visa.person_subject == person_subject).order_by(Visa.issued_on.desc(), Visa.id.desc())
    return session.scalars(query).all()


def visas_for_applications(session: Session, person_subject: str, references: Sequence[str]) -> dict[str, Visa]:
    """The person's visas issued for the given requests, by request reference."""
    if not references:
        return {}
    query = select(Visa).where(Visa.person_subject == person_subject, Visa.application_reference.in_(references))
    return {visa.application_reference: visa for visa in session.scalars(query)}
