"""OpenID Connect clients, codes, tokens, consents and used nonces.

Revision ID: 0006_oidc
Revises: 0005_sessions
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_oidc"
down_revision: str | Sequence[str] | None = "0005_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oauth_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("client_secret_hash", sa.String(64), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("allowed_scopes", sa.JSON(), nullable=False),
        sa.Column("token_endpoint_auth_method", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_clients"),
        sa.UniqueConstraint("client_id", name="uq_oauth_clients_client_id"),
    )
    op.create_table(
        "oauth_authorization_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("nonce", sa.String(255), nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=False),
        sa.Column("code_challenge_method", sa.String(10), nullable=False),
        sa.Column("auth_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amr", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_authorization_codes"),
        sa.UniqueConstraint("code_hash", name="uq_oauth_authorization_codes_code_hash"),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_clients.client_id"],
            name="fk_oauth_authorization_codes_client_id_oauth_clients",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_oauth_authorization_codes_person_id_people", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_oauth_authorization_codes_client_id", "oauth_authorization_codes", ["client_id"])
    op.create_index("ix_oauth_authorization_codes_person_id", "oauth_authorization_codes", ["person_id"])
    op.create_table(
        "oauth_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("access_token_hash", sa.String(64), nullable=False),
        sa.Column("refresh_token_hash", sa.String(64), nullable=True),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rotated_from", sa.Integer(), nullable=True),
        sa.Column("authorization_code_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_tokens"),
        sa.UniqueConstraint("access_token_hash", name="uq_oauth_tokens_access_token_hash"),
        sa.UniqueConstraint("refresh_token_hash", name="uq_oauth_tokens_refresh_token_hash"),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_clients.client_id"],
            name="fk_oauth_tokens_client_id_oauth_clients",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_oauth_tokens_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["rotated_from"], ["oauth_tokens.id"], name="fk_oauth_tokens_rotated_from_oauth_tokens", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["authorization_code_id"],
            ["oauth_authorization_codes.id"],
            name="fk_oauth_tokens_authorization_code_id_oauth_authorization_codes",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_oauth_tokens_client_id", "oauth_tokens", ["client_id"])
    op.create_index("ix_oauth_tokens_person_id", "oauth_tokens", ["person_id"])
    op.create_index("ix_oauth_tokens_rotated_from", "oauth_tokens", ["rotated_from"])
    op.create_index("ix_oauth_tokens_authorization_code_id", "oauth_tokens", ["authorization_code_id"])
    op.create_table(
        "oauth_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_consents"),
        sa.UniqueConstraint("person_id", "client_id", name="uq_oauth_consents_person_id"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_oauth_consents_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_clients.client_id"],
            name="fk_oauth_consents_client_id_oauth_clients",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_oauth_consents_client_id", "oauth_consents", ["client_id"])
    op.create_table(
        "oauth_used_nonces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("nonce", sa.String(255), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_used_nonces"),
        sa.UniqueConstraint("client_id", "nonce", name="uq_oauth_used_nonces_client_id"),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_clients.client_id"],
            name="fk_oauth_used_nonces_client_id_oauth_clients",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("oauth_used_nonces")
    op.drop_index("ix_oauth_consents_client_id", table_name="oauth_consents")
    op.drop_table("oauth_consents")
    for column in ("authorization_code_id", "rotated_from", "person_id", "client_id"):
        op.drop_index(f"ix_oauth_tokens_{column}", table_name="oauth_tokens")
    op.drop_table("oauth_tokens")
    op.drop_index("ix_oauth_authorization_codes_person_id", table_name="oauth_authorization_codes")
    op.drop_index("ix_oauth_authorization_codes_client_id", table_name="oauth_authorization_codes")
    op.drop_table("oauth_authorization_codes")
    op.drop_table("oauth_clients")
