"""OpenID Connect: pairwise subjects per client, logout URIs, and the portal session of each code.

Clients registered before this revision keep public subjects (their apps
already store those subs); new clients are pairwise by default.

Revision ID: 0014_oidc_subjects_logout
Revises: 0013_scopes
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_oidc_subjects_logout"
down_revision: str | Sequence[str] | None = "0013_scopes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("oauth_clients") as table:
        table.add_column(sa.Column("subject_type", sa.String(16), nullable=False, server_default="public"))
        table.add_column(sa.Column("sector_identifier", sa.String(255), nullable=True))
        table.add_column(
            sa.Column("post_logout_redirect_uris", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        table.add_column(sa.Column("backchannel_logout_uri", sa.Text(), nullable=True))
    with op.batch_alter_table("oauth_authorization_codes") as table:
        table.add_column(sa.Column("sid", sa.String(64), nullable=True))
        table.create_index("ix_oauth_authorization_codes_sid", ["sid"])


def downgrade() -> None:
    with op.batch_alter_table("oauth_authorization_codes") as table:
        table.drop_index("ix_oauth_authorization_codes_sid")
        table.drop_column("sid")
    with op.batch_alter_table("oauth_clients") as table:
        table.drop_column("backchannel_logout_uri")
        table.drop_column("post_logout_redirect_uris")
        table.drop_column("sector_identifier")
        table.drop_column("subject_type")
