"""One authorization server per app: grants, token revocation and the bearer-token check.

Authlib's Flask server is built per app (never a module global), so tests can
run several portals with different keys and lifetimes side by side. Only the
grants registered here exist: no implicit, password or client-credentials flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskJsonRequest
from authlib.oauth2.rfc6749 import OAuth2Error, ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator, InsufficientScopeError, InvalidTokenError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from flask import request

from ..audit.log import AuditEvents, record
from ..identity.models import Person
from .grants import AuthorizationCodeGrant, IdTokens, RefreshTokenGrant, StrictCodeChallenge, generate_bearer_token
from .grants import save_token as store_token
from .keys import KeyStore
from .models import TOKEN_ENDPOINT_AUTH_METHODS, OAuthClient, OAuthToken
from .scopes import SCOPE_NAMES
from .storage import db, find_client, revoke_chain, token_by_access, token_by_refresh, writer
from .subjects import PairwiseKey

REALM = "bawaba"


def query_client(client_id: Any) -> OAuthClient | None:
    return find_client(db(), client_id)


class TokenRevocation(RevocationEndpoint):
    """RFC 7009; revoking either token of a chain ends the whole chain."""

    CLIENT_AUTH_METHODS: ClassVar[list[str]] = list(TOKEN_ENDPOINT_AUTH_METHODS)

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        session = db()
        if token_type_hint == "refresh_token":
            return token_by_refresh(session, token_string) or token_by_access(session, token_string)
        return token_by_access(session, token_string) or token_by_refresh(session, token_string)

    def revoke_token(self, token: OAuthToken, request: Any) -> None:
        session = writer()
        revoked = revoke_chain(session, token)
        record(
            session,
            AuditEvents.OIDC_TOKEN_REVOKED,
            person_id=token.person_id,
            client_id=token.client_id,
            reason="revocation_endpoint",
            tokens_revoked=revoked,
        )
        session.commit()


class AccessTokenValidator(BearerTokenValidator):
    """A live access token of a client that is still registered."""

    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        session = db()
        token = token_by_access(session, token_string)
        if token is None or find_client(session, token.client_id) is None:
            return None
        return token


class BawabaAuthorizationServer(AuthorizationServer):
    def __init__(self, keys: KeyStore, subjects: PairwiseKey) -> None:
        super().__init__(query_client=query_client, save_token=store_token)
        self.scopes_supported = list(SCOPE_NAMES)
        self.register_token_generator("default", generate_bearer_token)
        self.register_grant(AuthorizationCodeGrant, [StrictCodeChallenge(), IdTokens(keys, subjects)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(TokenRevocation)


@dataclass
class OidcProvider:
    """What :func:`gateway.oidc.init_oidc` stores in ``app.extensions["oidc"]``."""

    keys: KeyStore
    subjects: PairwiseKey
    server: BawabaAuthorizationServer
    resource_protector: ResourceProtector

    @classmethod
    def build(cls, keys: KeyStore, subjects: PairwiseKey) -> OidcProvider:
        protector = ResourceProtector()
        protector.register_token_validator(AccessTokenValidator(realm=REALM))
        server = BawabaAuthorizationServer(keys, subjects)
        return cls(keys=keys, subjects=subjects, server=server, resource_protector=protector)

    def subject(self, client: OAuthClient, person: Person) -> str:
        """The ``sub`` ``client`` knows ``person`` by: public, or pairwise for its sector."""
        return self.subjects.subject_for(client, person.subject)

    def bearer_token(self, scope: str = "openid") -> OAuthToken:
        """The request's live access token carrying ``scope``; raises an :class:`OAuth2Error` otherwise."""
        token: OAuthToken = self.resource_protector.validate_request([scope], FlaskJsonRequest(request))
        return token


def bearer_challenge(error: OAuth2Error) -> tuple[int, dict[str, str], str]:
    """Status, body and ``WWW-Authenticate`` value for a refused bearer request (RFC 6750 §3)."""
    if isinstance(error, InvalidTokenError):
        return 401, _error_body(error), f'Bearer realm="{REALM}", error="invalid_token"'
    if isinstance(error, InsufficientScopeError):
        return 403, _error_body(error), f'Bearer realm="{REALM}", error="insufficient_scope", scope="openid"'
    # No credentials (or not a bearer token): a bare challenge, as RFC 6750 §3.1 asks.
    body = {"error": "invalid_token", "error_description": "A bearer access token is required."}
    return 401, body, f'Bearer realm="{REALM}"'


def _error_body(error: OAuth2Error) -> dict[str, str]:
    return {"error": str(error.error), "error_description": str(error.get_error_description())}
