"""One-time codes, stored only as keyed hashes.

Revision ID: 0004_one_time_codes
Revises: 0003_outbox
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_one_time_codes"
down_revision: str | Sequence[str] | None = "0003_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("subject_key", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(5), nullable=False),
        sa.Column("destination", sa.String(254), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_one_time_codes"),
    )
    op.create_index("ix_one_time_codes_flow_id", "one_time_codes", ["flow_id"])
    op.create_index("ix_one_time_codes_subject_key", "one_time_codes", ["subject_key"])
    op.create_index("ix_one_time_codes_destination", "one_time_codes", ["destination"])
    op.create_index("ix_one_time_codes_created_at", "one_time_codes", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_one_time_codes_created_at", table_name="one_time_codes")
    op.drop_index("ix_one_time_codes_destination", table_name="one_time_codes")
    op.drop_index("ix_one_time_codes_subject_key", table_name="one_time_codes")
    op.drop_index("ix_one_time_codes_flow_id", table_name="one_time_codes")
    op.drop_table("one_time_codes")
