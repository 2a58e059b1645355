"""Baseline of the host's schema.

The host's own tables (people, accounts, applications, ...) arrive in later
revisions; this one starts the history so that every database, SQLite or
PostgreSQL, records the same starting point.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0001_baseline"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
