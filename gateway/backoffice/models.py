"""Staff accounts, their roles per program, and who is handling which application.

Staff are not citizens: they have their own table, their own sign-in and their
own session key, so a person's account can never be turned into a staff
account by a profile change, and a staff member's rights are exactly the
roles listed here (one row per program), which is what keeps each program's
applications away from the staff of every other program.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import Base
from ..messaging.models import UtcDateTime, utc_now

USERNAME_LENGTH = 32
NAME_LENGTH = 200
EMAIL_LENGTH = 254
MOBILE_LENGTH = 16
SLUG_LENGTH = 32
ROLE_LENGTH = 16
SCOPE_LENGTH = 64

REVIEWER = "reviewer"
SUPERVISOR = "supervisor"
ROLES = (REVIEWER, SUPERVISOR)


class StaffAccount(Base):
    """One member of staff (or an administrator) of the back office."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), unique=True)
    """Always lower case, so "Sara" and "sara" are one account."""
    full_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH), nullable=True)
    mobile: Mapped[str] = mapped_column(String(MOBILE_LENGTH))
    """E.164; the sign-in codes go here."""
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    roles: Mapped[list[StaffRole]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="StaffRole.program"
    )

    def role_in(self, program: str) -> str | None:
        return next((role.role for role in self.roles if role.program == program), None)

    def scope_in(self, program: str) -> str | None:
        """The one scope the staff member is limited to in ``program``, or ``None`` for all of it."""
        return next((role.scope for role in self.roles if role.program == program), None)


class StaffRole(Base):
    """What one staff member may do in one program: review, or also supervise (assign)."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("staff_id", "program", name="uq_staff_roles_staff_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"))
    program: Mapped[str] = mapped_column(String(SLUG_LENGTH), index=True)
    role: Mapped[str] = mapped_column(String(ROLE_LENGTH))
    scope: Mapped[str | None] = mapped_column(String(SCOPE_LENGTH), nullable=True)
    """``None``: the whole program. Otherwise only the applications with this scope (one office's)."""

    staff: Mapped[StaffAccount] = relationship(back_populates="roles")


class ApplicationAssignment(Base):
    """The staff member handling an application (at most one at a time)."""

    __tablename__ = "application_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id", ondelete="SET NULL"), nullable=True)

    staff: Mapped[StaffAccount] = relationship(foreign_keys=[staff_id])
