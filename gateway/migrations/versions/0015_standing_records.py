"""Standing records: programs' records per owner (a household's profile), their versions and members.

Revision ID: 0015_standing_records
Revises: 0014_oidc_subjects_logout
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_standing_records"
down_revision: str | Sequence[str] | None = "0014_oidc_subjects_logout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standing_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("program", sa.String(32), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=True),
        sa.Column("draft_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_standing_records"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name="fk_standing_records_owner_id_people", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("program", "name", "owner_id", name="uq_standing_records_program"),
    )
    op.create_index("ix_standing_records_owner_id", "standing_records", ["owner_id"])
    op.create_table(
        "standing_record_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(40), nullable=False),
        sa.Column("changed", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_standing_record_versions"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["standing_records.id"],
            name="fk_standing_record_versions_record_id_standing_records",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("record_id", "number", name="uq_standing_record_versions_record_id"),
    )
    op.create_index("ix_standing_record_versions_record_id", "standing_record_versions", ["record_id"])
    op.create_table(
        "standing_record_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("program", sa.String(32), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("id_number", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_standing_record_members"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["standing_records.id"],
            name="fk_standing_record_members_record_id_standing_records",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("program", "name", "id_number", name="uq_standing_record_members_program"),
    )
    op.create_index("ix_standing_record_members_record_id", "standing_record_members", ["record_id"])


def downgrade() -> None:
    op.drop_index("ix_standing_record_members_record_id", table_name="standing_record_members")
    op.drop_table("standing_record_members")
    op.drop_index("ix_standing_record_versions_record_id", table_name="standing_record_versions")
    op.drop_table("standing_record_versions")
    op.drop_index("ix_standing_records_owner_id", table_name="standing_records")
    op.drop_table("standing_records")
