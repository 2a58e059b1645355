"""Musaned: licensed recruitment offices and their prices.

Revision ID: musaned_0001
Revises:
Create Date: 2026-11-22

Only the tables: the fictional offices are demo data (``gateway demo load``),
never seeded into a real database by a migration.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "musaned_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "musaned_offices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("licence_number", sa.String(16), nullable=False),
        sa.Column("name_ar", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("city", sa.String(32), nullable=False),
        sa.Column("rating", sa.Numeric(2, 1), nullable=False),
        sa.Column("average_delivery_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.String(401), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_musaned_offices"),
        sa.UniqueConstraint("licence_number", name="uq_musaned_offices_licence_number"),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name="ck_musaned_offices_rating_range"),
        sa.CheckConstraint("average_delivery_days > 0", name="ck_musaned_offices_delivery_days_positive"),
    )
    op.create_index("ix_musaned_offices_city", "musaned_offices", ["city"])
    op.create_table(
        "musaned_office_prices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("price", sa.Numeric(12, 2), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_musaned_office_prices"),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["musaned_offices.id"],
            name="fk_musaned_office_prices_office_id_musaned_offices",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("office_id", "nationality", name="uq_musaned_office_prices_office_nationality"),
        sa.CheckConstraint("price > 0", name="ck_musaned_office_prices_price_positive"),
    )
    op.create_index("ix_musaned_office_prices_office_id", "musaned_office_prices", ["office_id"])
    op.create_index("ix_musaned_office_prices_nationality", "musaned_office_prices", ["nationality"])


def downgrade() -> None:
    op.drop_index("ix_musaned_office_prices_nationality", table_name="musaned_office_prices")
    op.drop_index("ix_musaned_office_prices_office_id", table_name="musaned_office_prices")
    op.drop_table("musaned_office_prices")
    op.drop_index("ix_musaned_offices_city", table_name="musaned_offices")
    op.drop_table("musaned_offices")
