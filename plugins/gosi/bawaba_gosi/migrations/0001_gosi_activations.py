"""GOSI: the activations of contributors' accounts.

Revision ID: gosi_0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gosi_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gosi_activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gosi_activations"),
        sa.UniqueConstraint("person_id", name="uq_gosi_activations_person_id"),
    )


def downgrade() -> None:
    op.drop_table("gosi_activations")
