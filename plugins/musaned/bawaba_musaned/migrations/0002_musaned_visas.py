"""Musaned: issued visas.

Revision ID: musaned_0002
Revises: musaned_0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "musaned_0002"
down_revision = "musaned_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "musaned_visas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visa_number", sa.String(10), nullable=False),
        sa.Column("application_reference", sa.String(20), nullable=False),
        sa.Column("person_subject", sa.String(64), nullable=False),
        sa.Column("worker_type", sa.String(40), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_musaned_visas"),
        sa.UniqueConstraint("visa_number", name="uq_musaned_visas_visa_number"),
        sa.UniqueConstraint("application_reference", name="uq_musaned_visas_application_reference"),
    )
    op.create_index("ix_musaned_visas_person_subject", "musaned_visas", ["person_subject"])


def downgrade() -> None:
    op.drop_index("ix_musaned_visas_person_subject", table_name="musaned_visas")
    op.drop_table("musaned_visas")
