"""Scopes: an application made to one part of a program (an office), and staff limited to that part.

Revision ID: 0013_scopes
Revises: 0012_staff
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_scopes"
down_revision: str | Sequence[str] | None = "0012_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as table:
        table.add_column(sa.Column("scope", sa.String(64), nullable=True))
        table.create_index("ix_applications_program_scope", ["program", "scope"])
    with op.batch_alter_table("staff_roles") as table:
        table.add_column(sa.Column("scope", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_roles") as table:
        table.drop_column("scope")
    with op.batch_alter_table("applications") as table:
        table.drop_index("ix_applications_program_scope")
        table.drop_column("scope")
