"""The monthly cycle's table: one row per household and month, the entitlement or the suspension.

``(owner_id, month)`` is unique: that constraint, not the code's care, is what
makes a second run, a resumed run or two workers at once pay nobody twice. A
run first inserts a ``pending`` row for every approved household that has none
for the month (``INSERT … ON CONFLICT DO NOTHING``), then claims pending rows
in batches (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share
the month) and assesses each: ``paid`` with the amount and the stored
explanation, or ``suspended`` with the reason.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Index, Integer, MetaData, Numeric, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

import bawaba_sdk as sdk

PENDING, PAID, SUSPENDED = "pending", "paid", "suspended"


class Base(DeclarativeBase):
    metadata = MetaData()


class MonthlyEntitlement(Base):
    """A household's assessment for one month of the cycle."""

    __tablename__ = "social_security_entitlements"
    __table_args__ = (
        UniqueConstraint("owner_id", "month", name="uq_social_security_entitlements_owner_month"),
        Index("ix_social_security_entitlements_month_status", "month", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)
    """The head of household's person id (the owner of the unified profile)."""
    month: Mapped[date] = mapped_column(Date, nullable=False)
    """The first day of the Gregorian month paid for."""
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """``sdk.Explanation.to_storage()``: the statement renders it later in either language."""
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """Why a month is suspended: ``no_confirmed_profile``, ``not_eligible`` or ``bad_profile``."""
    profile_version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    assessed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    assessed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


DATABASE = sdk.PluginDatabase.for_package(Base.metadata, "bawaba_social_security")
