"""Server-side sessions.

Revision ID: 0005_sessions
Revises: 0004_one_time_codes
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_sessions"
down_revision: str | Sequence[str] | None = "0004_one_time_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_server_sessions"),
    )
    op.create_index("ix_server_sessions_person_id", "server_sessions", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_server_sessions_person_id", table_name="server_sessions")
    op.drop_table("server_sessions")
