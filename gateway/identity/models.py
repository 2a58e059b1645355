"""The shared identity: people (from the registry) and their portal accounts.

A person is created only from the national registry's record, once per ID
number; programs read it and keep no copy. The account holds what the person
chose: a username, a password hash and where one-time codes go.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base


def new_subject() -> str:
    """An opaque, random identifier given to outside apps instead of the ID number."""
    return secrets.token_urlsafe(24)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), unique=True, default=new_subject)
    id_number: Mapped[str] = mapped_column(String(10), unique=True)
    id_type: Mapped[str] = mapped_column(String(10))
    first_name_ar: Mapped[str] = mapped_column(String(100))
    family_name_ar: Mapped[str] = mapped_column(String(100))
    first_name_en: Mapped[str] = mapped_column(String(100))
    family_name_en: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(2))
    mobile: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    account: Mapped[Account | None] = relationship(back_populates="person", uselist=False)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    code_channel: Mapped[str] = mapped_column(String(5), default="sms")
    """Where sign-in codes go: ``sms`` (the registered mobile) or ``email``."""
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    person: Mapped[Person] = relationship(back_populates="account")


class SignInFailures(Base):
    """Failed sign-ins counted per account and per network address.

    ``key`` is ``account:<id>`` or ``address:<ip>``; a row is cleared by a
    successful sign-in (for the account) and expires with its lock.
    """

    __tablename__ = "sign_in_failures"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
