"""Authlib's grants, hardened: code flow with mandatory S256 PKCE and nonce, rotating refresh tokens.

What Authlib leaves optional is made mandatory here: PKCE for every client
(``plain`` refused), the ``openid`` scope and a ``nonce`` on every request, a
nonce spent for good once a code carries it, single-use codes whose reuse
revokes what they issued, and refresh tokens that die on use and whose replay
revokes the whole chain.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc7636 import CodeChallenge, create_s256_code_challenge
from authlib.oidc.core.errors import RequestNotSupportedError, RequestURINotSupportedError
from authlib.oidc.core.grants import OpenIDCode
from flask import current_app, request
from sqlalchemy import select, update

from ..audit.log import AuditEvents, record
from ..identity.models import Person
from .clock import as_utc, from_epoch, utc_now
from .keys import ALGORITHM, KeyStore
from .models import TOKEN_ENDPOINT_AUTH_METHODS, OAuthAuthorizationCode, OAuthToken
from .secrets import hash_secret, new_secret
from .storage import (
    db,
    find_client,
    nonce_used,
    revoke_chain,
    revoke_tokens_of_code,
    spend_nonce,
    token_by_refresh,
    usable_credential,
    was_rotated,
    writer,
)
from .subjects import PairwiseKey

logger = logging.getLogger("gateway.oidc")

MAX_NONCE_LENGTH = 255
S256 = "S256"


@dataclass(frozen=True)
class SignedIn:
    """The person approving an authorization request, with how and when they signed in."""

    person: Person
    auth_time: int
    amr: tuple[str, ...]
    sid: str | None = None
    """The portal session's id for the apps (see :mod:`gateway.oidc.portal_session`)."""
    signed_in_at: float | None = None
    """``auth_time`` with fractions of a second, when the session has it."""

    @property
    def sign_in_instant(self) -> float:
        return self.signed_in_at if self.signed_in_at is not None else float(self.auth_time)


def issuer() -> str:
    """``GATEWAY_OIDC_ISSUER``, or the root URL this request came to."""
    configured = current_app.config.get("GATEWAY_OIDC_ISSUER")
    return str(configured or request.url_root).rstrip("/")


class StrictCodeChallenge(CodeChallenge):
    """PKCE required on every authorization request, S256 the only method."""

    DEFAULT_CODE_CHALLENGE_METHOD = S256
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = [S256]

    def __init__(self) -> None:
        super().__init__(required=True)
        self.CODE_CHALLENGE_METHODS = {S256: _s256_matches}

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send 'code_challenge' with 'code_challenge_method=S256'.")
        if data.get("code_challenge_method") != S256:
            raise InvalidRequestError("Only the 'S256' code_challenge_method is supported.")
        super().validate_code_challenge(grant, redirect_uri)


def _s256_matches(verifier: str, challenge: str) -> bool:
    return hmac.compare_digest(create_s256_code_challenge(verifier), challenge)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """The only flow: authorization code, bound to client, redirect URI, PKCE challenge and nonce."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(TOKEN_ENDPOINT_AUTH_METHODS)

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        try:
            self._validate_openid_request()
        except OAuth2Error as error:
            error.redirect_uri = redirect_uri
            raise
        return redirect_uri

    def _validate_openid_request(self) -> None:
        data = self.request.payload.data
        if "openid" not in (self.request.scope or "").split():
            raise InvalidScopeError("The 'openid' scope is required.")
        if not data.get("nonce"):
            raise InvalidRequestError("Missing 'nonce' in request.")
        if len(data["nonce"]) > MAX_NONCE_LENGTH:
            raise InvalidRequestError("The 'nonce' is too long.")
        if data.get("request"):
            raise RequestNotSupportedError()
        if data.get("request_uri"):
            raise RequestURINotSupportedError()

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        signed_in: SignedIn = request.user
        client_id = request.client.get_client_id()
        session = writer()
        nonce = request.payload.data["nonce"]
        if not spend_nonce(session, client_id, nonce):
            raise InvalidRequestError("Replay attack: the 'nonce' has already been used.")
        now = utc_now()
        session.add(
            OAuthAuthorizationCode(
                code_hash=hash_secret(code),
                client_id=client_id,
                person_id=signed_in.person.id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                nonce=nonce,
                code_challenge=request.payload.data["code_challenge"],
                code_challenge_method=S256,
                auth_time=from_epoch(signed_in.auth_time),
                amr=list(signed_in.amr),
                sid=signed_in.sid,
                created_at=now,
                expires_at=now + timedelta(seconds=current_app.config["GATEWAY_OIDC_CODE_SECONDS"]),
            )
        )
        session.commit()

    def create_authorization_response(self, redirect_uri: str, grant_user: Any) -> Any:
        try:
            return super().create_authorization_response(redirect_uri, grant_user)
        except OAuth2Error as error:
            error.redirect_uri = redirect_uri
            raise

    def query_authorization_code(self, code: str, client: Any) -> OAuthAuthorizationCode | None:
        if not usable_credential(code):
            return None
        session = db()
        row = session.scalar(
            select(OAuthAuthorizationCode).where(
                OAuthAuthorizationCode.code_hash == hash_secret(code),
                OAuthAuthorizationCode.client_id == client.get_client_id(),
            )
        )
        if row is None:
            return None
        if row.used_at is not None:
            code_reused(row)
        if row.is_expired():
            return None
        return row

    def delete_authorization_code(self, authorization_code: OAuthAuthorizationCode) -> None:
        """Kept, marked used (see :func:`save_token`), so a second use is recognised and punished."""

    def authenticate_user(self, authorization_code: OAuthAuthorizationCode) -> Person | None:
        return db().get(Person, authorization_code.person_id)


def code_reused(row: OAuthAuthorizationCode) -> None:
    """A code came back: revoke everything it issued, audit it, and refuse (RFC 6749 §4.1.2)."""
    session = writer()
    revoked = revoke_tokens_of_code(session, row.id)
    record(
        session, AuditEvents.OIDC_CODE_REUSED, person_id=row.person_id, client_id=row.client_id, tokens_revoked=revoked
    )
    session.commit()
    logger.warning("authorization code reused by client %s: %d token(s) revoked", row.client_id, revoked)
    raise InvalidGrantError("The authorization code has already been used.")


class IdTokens(OpenIDCode):
    """Signs the ID token with the portal's RS256 key; it carries identity, not personal data."""

    def __init__(self, keys: KeyStore, subjects: PairwiseKey) -> None:
        super().__init__(require_nonce=True)
        self.keys = keys
        self.subjects = subjects

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return nonce_used(db(), request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: Any) -> Any:
        return self.keys.get().key

    def get_client_algorithm(self, client: Any) -> str:
        return ALGORITHM

    def get_encode_header(self, client: Any) -> dict[str, str]:
        return {"alg": ALGORITHM, "kid": self.keys.get().kid, "typ": "JWT"}

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        now = int(time.time())
        lifetime = int(current_app.config["GATEWAY_OIDC_ACCESS_TOKEN_SECONDS"])
        return {"iss": issuer(), "aud": client.get_client_id(), "iat": now, "exp": now + lifetime}

    def get_authorization_code_claims(self, authorization_code: OAuthAuthorizationCode) -> dict[str, Any]:
        """The code's claims, plus ``sub`` as this client knows the person and the portal session's ``sid``.

        Only ``sub``: names and numbers travel through userinfo, not in a token
        that gets logged. ``sub`` is set here, where the client is known (it is
        pairwise per client's sector), not in :meth:`generate_user_info`.
        """
        claims: dict[str, Any] = super().get_authorization_code_claims(authorization_code)
        session = db()
        person = session.get(Person, authorization_code.person_id)
        client = find_client(session, authorization_code.client_id)
        if person is None or client is None:
            raise InvalidGrantError("The authorization code is no longer valid.")
        claims["sub"] = self.subjects.subject_for(client, person.subject)
        if authorization_code.sid:
            claims["sid"] = authorization_code.sid
        return claims

    def generate_user_info(self, user: Person, scope: str) -> dict[str, Any]:
        """Nothing more: ``sub`` (and ``sid``) come from the code (see :meth:`get_authorization_code_claims`)."""
        return {}


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Rotation: every refresh token works once; a replayed one revokes its whole chain."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(TOKEN_ENDPOINT_AUTH_METHODS)
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> OAuthToken | None:
        session = db()
        row = token_by_refresh(session, refresh_token)
        if row is None:
            return None
        if row.revoked_at is not None:
            if was_rotated(session, row):
                refresh_token_reused(row)
            return None
        return row if row.refresh_usable() else None

    def authenticate_user(self, refresh_token: OAuthToken) -> Person | None:
        return db().get(Person, refresh_token.person_id)

    def revoke_old_credential(self, refresh_token: OAuthToken) -> None:
        """Already done, atomically, when the new token was saved (see :func:`save_token`)."""


def refresh_token_reused(row: OAuthToken) -> None:
    """A rotated refresh token came back: someone holds a copy, so the chain dies."""
    session = writer()
    revoked = revoke_chain(session, row)
    record(
        session,
        AuditEvents.OIDC_TOKEN_REVOKED,
        person_id=row.person_id,
        client_id=row.client_id,
        reason="refresh_token_reused",
        tokens_revoked=revoked,
    )
    session.commit()
    logger.warning("rotated refresh token reused by client %s: %d token(s) revoked", row.client_id, revoked)


def generate_bearer_token(
    grant_type: str,
    client: Any,
    user: Any = None,
    scope: str | None = None,
    expires_in: int | None = None,
    include_refresh_token: bool = True,
) -> dict[str, Any]:
    """Random bearer tokens; only their hashes are ever stored."""
    token: dict[str, Any] = {
        "token_type": "Bearer",
        "access_token": new_secret(),
        "expires_in": int(current_app.config["GATEWAY_OIDC_ACCESS_TOKEN_SECONDS"]),
        "scope": scope or "",
    }
    if include_refresh_token:
        token["refresh_token"] = new_secret()
    return token


def save_token(token: dict[str, Any], request: OAuth2Request) -> None:
    """Store a new token row, after winning the race for the code or refresh token it comes from."""
    session = writer()
    now = utc_now()
    person: Person = request.user
    if request.refresh_token is not None:
        parent: OAuthToken = request.refresh_token
        claimed = session.execute(
            update(OAuthToken)
            .where(OAuthToken.id == parent.id, OAuthToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:  # another request rotated it first: a copy is in use
            refresh_token_reused(parent)
            raise InvalidGrantError("The refresh token has already been used.")
        refresh_expires_at = as_utc(parent.refresh_expires_at) if parent.refresh_expires_at else None
        code_id, rotated_from, grant_type = parent.authorization_code_id, parent.id, "refresh_token"
    else:
        code: OAuthAuthorizationCode = request.authorization_code
        claimed = session.execute(
            update(OAuthAuthorizationCode)
            .where(OAuthAuthorizationCode.id == code.id, OAuthAuthorizationCode.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            code_reused(code)
        days = int(current_app.config["GATEWAY_OIDC_REFRESH_TOKEN_DAYS"])
        refresh_expires_at = now + timedelta(days=days) if token.get("refresh_token") else None
        code_id, rotated_from, grant_type = code.id, None, "authorization_code"
    access_expires_at = now + timedelta(seconds=int(token["expires_in"]))
    if refresh_expires_at is not None and access_expires_at > refresh_expires_at:
        access_expires_at = refresh_expires_at  # nothing outlives the chain's absolute expiry
        token["expires_in"] = max(0, int((refresh_expires_at - now).total_seconds()))
    session.add(
        OAuthToken(
            access_token_hash=hash_secret(token["access_token"]),
            refresh_token_hash=hash_secret(token["refresh_token"]) if token.get("refresh_token") else None,
            client_id=request.client.get_client_id(),
            person_id=person.id,
            scope=token["scope"],
            issued_at=now,
            access_expires_at=access_expires_at,
            refresh_expires_at=refresh_expires_at,
            rotated_from=rotated_from,
            authorization_code_id=code_id,
        )
    )
    record(
        session,
        AuditEvents.OIDC_TOKEN_ISSUED,
        person_id=person.id,
        client_id=request.client.get_client_id(),
        grant_type=grant_type,
        scope=token["scope"],
    )
    session.commit()
