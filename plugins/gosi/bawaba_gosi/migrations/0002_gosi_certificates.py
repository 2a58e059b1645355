"""GOSI: contributor certificates and their verification codes.

Revision ID: gosi_0002
Revises: gosi_0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gosi_0002"
down_revision: str | Sequence[str] | None = "gosi_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gosi_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(10), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gosi_certificates"),
        sa.UniqueConstraint("code", name="uq_gosi_certificates_code"),
    )
    op.create_index("ix_gosi_certificates_person_id", "gosi_certificates", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_gosi_certificates_person_id", "gosi_certificates")
    op.drop_table("gosi_certificates")
