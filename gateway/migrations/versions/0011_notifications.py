"""Notifications shown in the portal.

Revision ID: 0011_notifications
Revises: 0010_payments
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_notifications"
down_revision: str | Sequence[str] | None = "0010_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text_ar", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_notifications_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name="fk_notifications_application_id_applications",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_notifications_person_id", "notifications", ["person_id"])
    op.create_index("ix_notifications_application_id", "notifications", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_application_id", table_name="notifications")
    op.drop_index("ix_notifications_person_id", table_name="notifications")
    op.drop_table("notifications")
