"""Bills and payments.

Revision ID: 0010_payments
Revises: 0009_documents
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_payments"
down_revision: str | Sequence[str] | None = "0009_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPAID_WHERE = sa.text("status = 'unpaid'")


def upgrade() -> None:
    op.create_table(
        "bills",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bill_number", sa.String(12), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_source", sa.String(64), nullable=True),
        sa.Column("provider_reference", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_bills"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_bills_application_id_applications", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_bills_person_id_people", ondelete="CASCADE"),
        sa.UniqueConstraint("bill_number", name="uq_bills_bill_number"),
        sa.UniqueConstraint("provider_reference", name="uq_bills_provider_reference"),
    )
    op.create_index("ix_bills_application_id", "bills", ["application_id"])
    op.create_index("ix_bills_person_id", "bills", ["person_id"])
    op.create_index(
        "uq_bills_application_id_unpaid",
        "bills",
        ["application_id"],
        unique=True,
        sqlite_where=UNPAID_WHERE,
        postgresql_where=UNPAID_WHERE,
    )


def downgrade() -> None:
    op.drop_index("uq_bills_application_id_unpaid", table_name="bills")
    op.drop_index("ix_bills_person_id", table_name="bills")
    op.drop_index("ix_bills_application_id", table_name="bills")
    op.drop_table("bills")
