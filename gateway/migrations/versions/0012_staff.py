"""Staff accounts, their roles per program, and application assignment.

Revision ID: 0012_staff
Revises: 0011_notifications
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_staff"
down_revision: str | Sequence[str] | None = "0011_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(32), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("mobile", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_staff_accounts"),
        sa.UniqueConstraint("username", name="uq_staff_accounts_username"),
    )
    op.create_table(
        "staff_roles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_roles"),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_accounts.id"], name="fk_staff_roles_staff_id_staff_accounts", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("staff_id", "program", name="uq_staff_roles_staff_id"),
    )
    op.create_index("ix_staff_roles_program", "staff_roles", ["program"])
    op.create_table(
        "application_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_application_assignments"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name="fk_application_assignments_application_id_applications",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_accounts.id"],
            name="fk_application_assignments_staff_id_staff_accounts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["staff_accounts.id"],
            name="fk_application_assignments_assigned_by_staff_accounts",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("application_id", name="uq_application_assignments_application_id"),
    )
    op.create_index("ix_application_assignments_staff_id", "application_assignments", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_application_assignments_staff_id", table_name="application_assignments")
    op.drop_table("application_assignments")
    op.drop_index("ix_staff_roles_program", table_name="staff_roles")
    op.drop_table("staff_roles")
    op.drop_table("staff_accounts")
