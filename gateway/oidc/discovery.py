"""The OpenID Provider metadata (OpenID Connect Discovery 1.0) of this portal.

It states exactly what the provider accepts, so a relying party's library
configures itself to the hardened profile: code flow only, S256 PKCE only,
RS256 ID tokens, and no request objects.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from .grants import issuer
from .keys import ALGORITHM
from .models import GRANT_TYPES, RESPONSE_TYPES, TOKEN_ENDPOINT_AUTH_METHODS
from .scopes import ACR_VALUES, CLAIMS_SUPPORTED, SCOPE_NAMES
from .subjects import SUBJECT_TYPES


def endpoint_url(endpoint: str) -> str:
    """``endpoint``'s absolute URL under the issuer (which may be configured, not the request's host)."""
    path = url_for(endpoint)
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    return issuer() + path


def discovery_document() -> dict[str, Any]:
    return {
        "issuer": issuer(),
        "authorization_endpoint": endpoint_url("oidc.authorize"),
        "token_endpoint": endpoint_url("oidc.token"),
        "userinfo_endpoint": endpoint_url("oidc.userinfo"),
        "revocation_endpoint": endpoint_url("oidc.revoke"),
        "jwks_uri": endpoint_url("oidc.jwks"),
        "end_session_endpoint": endpoint_url("oidc.end_session"),
        "response_types_supported": list(RESPONSE_TYPES),
        "response_modes_supported": ["query"],
        "authorization_response_iss_parameter_supported": True,
        "grant_types_supported": list(GRANT_TYPES),
        "subject_types_supported": list(SUBJECT_TYPES),
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": list(SCOPE_NAMES),
        "claims_supported": list(CLAIMS_SUPPORTED),
        "acr_values_supported": list(ACR_VALUES),
        "token_endpoint_auth_methods_supported": list(TOKEN_ENDPOINT_AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": list(TOKEN_ENDPOINT_AUTH_METHODS),
        "prompt_values_supported": ["none", "login", "consent"],
        "ui_locales_supported": ["ar", "en"],
        "claims_locales_supported": ["ar", "en"],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "require_request_uri_registration": True,
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,
    }
