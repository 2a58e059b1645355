"""Social security: the monthly cycle's entitlements, one per household and month.

Revision ID: social_security_0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "social_security_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "social_security_entitlements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=True),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("profile_version_id", sa.Integer(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("owner_id", "month", name="uq_social_security_entitlements_owner_month"),
    )
    op.create_index("ix_social_security_entitlements_month_status", "social_security_entitlements", ["month", "status"])


def downgrade() -> None:
    op.drop_index("ix_social_security_entitlements_month_status", table_name="social_security_entitlements")
    op.drop_table("social_security_entitlements")
