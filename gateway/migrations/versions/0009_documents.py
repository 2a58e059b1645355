"""Uploaded documents (metadata; the files are in the storage folder).

``application_id`` refers to the applications table of revision 0007; deleting
an application only detaches its documents (``SET NULL``).

Revision ID: 0009_documents
Revises: 0008_drafts
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_documents"
down_revision: str | Sequence[str] | None = "0008_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(160), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_documents_person_id_people", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name="fk_documents_application_id_applications",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("public_id", name="uq_documents_public_id"),
        sa.UniqueConstraint("storage_key", name="uq_documents_storage_key"),
    )
    op.create_index("ix_documents_person_id", "documents", ["person_id"])
    op.create_index("ix_documents_application_id", "documents", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_documents_application_id", table_name="documents")
    op.drop_index("ix_documents_person_id", table_name="documents")
    op.drop_table("documents")
