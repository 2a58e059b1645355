"""The one applications store every program shares, with each application's history and messages.

Programs never keep their own copy of an application: a single table, keyed
by program and service slugs, is what lets the citizen's dashboard list every
request in one place and the back office apply one lifecycle to all of them.
History rows are written for every transition so "who moved it, when, from
where, to where and why" can always be answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base
from ..messaging.models import UtcDateTime, utc_now

REFERENCE_LENGTH = 16
"""``PREFIX-`` (at most 6 characters) and 8 code characters, with room to spare."""
SLUG_LENGTH = 32
STATE_LENGTH = 32
SUBMISSION_KEY_LENGTH = 64
ACTOR_LENGTH = 64
ACTOR_KIND_LENGTH = 10
AUTHOR_LENGTH = 10

CITIZEN = "citizen"
STAFF = "staff"
AUTHORS = (CITIZEN, STAFF)


SCOPE_LENGTH = 64


class Application(Base):
    """One request a person made to one service of one program."""

    __tablename__ = "applications"

    __table_args__ = (Index("ix_applications_program_scope", "program", "scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH), unique=True)
    program: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    service: Mapped[str] = mapped_column(String(SLUG_LENGTH))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(STATE_LENGTH))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Values the workflow recorded (e.g. a visa number a plugin returned on approval)."""
    scope: Mapped[str | None] = mapped_column(String(SCOPE_LENGTH), nullable=True)
    """The answer the service names in ``scope_answer`` (an office's licence): staff scoped to it see it."""
    submission_key: Mapped[str] = mapped_column(String(SUBMISSION_KEY_LENGTH), unique=True)
    """Chosen by the form before submitting, so a double click or a resent POST finds the first application."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application",
        order_by="ApplicationEvent.id",
        cascade="all, delete-orphan",
    )
    messages: Mapped[list[ApplicationMessage]] = relationship(
        back_populates="application",
        order_by="ApplicationMessage.id",
        cascade="all, delete-orphan",
    )


class ApplicationEvent(Base):
    """One transition of one application: the timeline the citizen and staff read."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    """``person:<id>``, ``staff:<id>`` or ``system``."""
    actor_kind: Mapped[str] = mapped_column(String(ACTOR_KIND_LENGTH))
    source: Mapped[str] = mapped_column(String(STATE_LENGTH))
    target: Mapped[str] = mapped_column(String(STATE_LENGTH))
    comment: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="events")


class ApplicationMessage(Base):
    """A message in the exchange between the citizen and the program's staff (e.g. "needs information")."""

    __tablename__ = "application_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(AUTHOR_LENGTH))
    """``citizen`` or ``staff``."""
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    application: Mapped[Application] = relationship(back_populates="messages")
