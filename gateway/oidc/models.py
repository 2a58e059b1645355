"""The OpenID Connect provider's tables: clients, codes, tokens, consents and used nonces.

Codes, access tokens, refresh tokens and client secrets are stored only as
SHA-256 hashes (see :mod:`gateway.oidc.secrets`): a copy of the database must
not let anyone act as a client or as a signed-in person. The model classes also
implement Authlib's client, code and token interfaces, so the grants read them
directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base
from .clock import as_utc, utc_now
from .scopes import acr_for
from .secrets import secret_matches
from .subjects import PAIRWISE

PUBLIC_CLIENT = "none"
CONFIDENTIAL_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
TOKEN_ENDPOINT_AUTH_METHODS = (*CONFIDENTIAL_AUTH_METHODS, PUBLIC_CLIENT)
GRANT_TYPES = ("authorization_code", "refresh_token")
RESPONSE_TYPES = ("code",)


LOOPBACK_IPS = ("127.0.0.1", "::1")
"""RFC 8252 §8.3: loopback IP literals, not ``localhost`` (which a resolver or firewall may send elsewhere)."""


def same_loopback_but_port(registered: str, requested: str) -> bool:
    """Whether ``requested`` is ``registered``, a plain-http loopback IP URI, with any port (or none)."""
    wanted = urlsplit(registered)
    if wanted.scheme != "http" or wanted.hostname not in LOOPBACK_IPS:
        return False
    given = urlsplit(requested)
    try:
        port = given.port
    except ValueError:  # a port that is not a number, or out of range
        return False
    if given.scheme != "http" or given.hostname != wanted.hostname or given.username or given.password or port == 0:
        return False
    host = f"[{given.hostname}]" if ":" in given.hostname else given.hostname
    if given.netloc != (f"{host}:{port}" if port is not None else host):
        return False  # anything else in the authority (a trailing colon, a second host) is refused
    return given._replace(netloc=wanted.netloc).geturl() == registered


class OAuthClient(Base):
    """An application outside the portal that signs people in through it."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """SHA-256 of the secret, hex; ``None`` for a public client (PKCE alone protects it)."""
    name: Mapped[str] = mapped_column(String(200))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    allowed_scopes: Mapped[list[str]] = mapped_column(JSON)
    token_endpoint_auth_method: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    subject_type: Mapped[str] = mapped_column(String(16), default=PAIRWISE)
    """``pairwise`` (the default for new clients) or ``public``; clients registered before 0014 stay public."""
    sector_identifier: Mapped[str | None] = mapped_column(String(255), nullable=True)
    """The sector of a pairwise client's subjects, fixed at registration (see :mod:`gateway.oidc.subjects`)."""
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Where RP-initiated logout may send the person back (exact match, as redirect URIs)."""
    backchannel_logout_uri: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Where the provider POSTs a logout token when a session the client was signed in through ends."""

    # -- Authlib's ClientMixin ----------------------------------------------------------

    @property
    def is_public(self) -> bool:
        return self.token_endpoint_auth_method == PUBLIC_CLIENT

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        """No default: every request names its redirect URI, which must match exactly."""
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scope when every part of it is allowed, else ``None`` (invalid_scope).

        Authlib's default silently drops what is not allowed; refusing instead
        tells the client's developer at once that the registration lacks a scope.
        """
        requested = (scope or "").split()
        if not requested or not set(requested) <= set(self.allowed_scopes):
            return None
        return " ".join(dict.fromkeys(requested))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact string comparison: no prefix, wildcard, case or trailing-slash leniency.

        One exception, RFC 8252 §7.3: a native app (a public client) that
        registered a loopback IP address with plain http may come back to any
        port of it, since it listens on whichever port is free at the time.
        """
        if redirect_uri in self.redirect_uris:
            return True
        return self.is_public and any(same_loopback_but_port(uri, redirect_uri) for uri in self.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        return self.client_secret_hash is not None and secret_matches(client_secret, self.client_secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """The one method the client was registered with, at every endpoint."""
        return method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type in RESPONSE_TYPES

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in GRANT_TYPES


class OAuthAuthorizationCode(Base):
    """A single-use authorization code, bound to its client, redirect URI, PKCE challenge and nonce."""

    __tablename__ = "oauth_authorization_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.client_id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    nonce: Mapped[str] = mapped_column(String(255))
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    auth_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    amr: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sid: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    """The portal session (``sid``) the code was issued in: signing it out reaches this client."""

    def is_expired(self, now: datetime | None = None) -> bool:
        return as_utc(self.expires_at) <= (now or utc_now())

    # -- Authlib's (OpenID) AuthorizationCodeMixin --------------------------------------

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(as_utc(self.auth_time).timestamp())

    def get_acr(self) -> str:
        return acr_for(self.amr)

    def get_amr(self) -> list[str]:
        return list(self.amr)


class OAuthToken(Base):
    """One access token and its refresh token; a refresh creates a new row (rotation).

    Every row of a rotation chain keeps the chain's ``authorization_code_id`` and
    its absolute ``refresh_expires_at``, so a reused code or a replayed refresh
    token can revoke the whole chain with one update.
    """

    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.client_id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    access_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refresh_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Absolute end of the whole rotation chain (``GATEWAY_OIDC_REFRESH_TOKEN_DAYS`` after the code)."""
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Set when the row is revoked or rotated; either way both of its tokens are dead."""
    rotated_from: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_tokens.id", ondelete="SET NULL"), nullable=True, index=True
    )
    authorization_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_authorization_codes.id", ondelete="SET NULL"), nullable=True, index=True
    )

    def is_active(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and as_utc(self.access_expires_at) > (now or utc_now())

    def refresh_usable(self, now: datetime | None = None) -> bool:
        return (
            self.revoked_at is None
            and self.refresh_expires_at is not None
            and as_utc(self.refresh_expires_at) > (now or utc_now())
        )

    # -- Authlib's TokenMixin -----------------------------------------------------------

    def check_client(self, client: Any) -> bool:
        return bool(self.client_id == client.get_client_id())

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return max(0, int((as_utc(self.access_expires_at) - as_utc(self.issued_at)).total_seconds()))

    def is_expired(self) -> bool:
        return as_utc(self.access_expires_at) <= utc_now()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class OAuthConsent(Base):
    """The scopes a person has allowed a client; asked again when a client wants more."""

    __tablename__ = "oauth_consents"
    __table_args__ = (UniqueConstraint("person_id", "client_id", name="uq_oauth_consents_person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.client_id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UsedNonce(Base):
    """A nonce that has been bound to an issued code; the unique key refuses any replay."""

    __tablename__ = "oauth_used_nonces"
    __table_args__ = (UniqueConstraint("client_id", "nonce", name="uq_oauth_used_nonces_client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.client_id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
