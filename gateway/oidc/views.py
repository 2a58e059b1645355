"""The provider's blueprint and its machine endpoints: discovery, JWKS, token, userinfo, revoke.

The pages a person sees are in :mod:`gateway.oidc.authorize` (sign-in to an
app and consent) and :mod:`gateway.oidc.logout` (signing out of the apps).
"""

from __future__ import annotations

import logging
from typing import Any

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6750 import InvalidTokenError
from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from ..identity.models import Person
from .claims import user_claims
from .discovery import discovery_document
from .server import OidcProvider, bearer_challenge
from .storage import db, find_client

logger = logging.getLogger("gateway.oidc")

oidc_blueprint = Blueprint("oidc", __name__)

NO_STORE = "no-store"


def provider() -> OidcProvider:
    found: OidcProvider = current_app.extensions["oidc"]
    return found


# -- discovery and keys -----------------------------------------------------------------


@oidc_blueprint.get("/.well-known/openid-configuration")
def configuration() -> ResponseReturnValue:
    return _public_json(discovery_document())


@oidc_blueprint.get("/oidc/jwks")
def jwks() -> ResponseReturnValue:
    return _public_json(provider().keys.get().jwks())


def _public_json(document: dict[str, Any]) -> Response:
    response = jsonify(document)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# -- token, userinfo and revocation (machine endpoints, CSRF-exempt) ----------------------


@oidc_blueprint.post("/oidc/token")
def token() -> ResponseReturnValue:
    server = provider().server
    try:
        response: Response = server.create_token_response()
    except OAuth2Error as error:  # raised before Authlib's own handling, e.g. insecure_transport
        response = server.handle_error_response(None, error)
    return response


@oidc_blueprint.route("/oidc/userinfo", methods=["GET", "POST"])
def userinfo() -> ResponseReturnValue:
    try:
        access = provider().bearer_token("openid")
    except OAuth2Error as error:
        return _bearer_refusal(error)
    person = db().get(Person, access.person_id)
    client = find_client(db(), access.client_id)
    if person is None or client is None:  # removed after the token was issued (its tokens go with it, but be sure)
        return _bearer_refusal(InvalidTokenError())
    response = jsonify(user_claims(person, access.scope, provider().subject(client, person)))
    response.headers["Cache-Control"] = NO_STORE
    return response


def _bearer_refusal(error: OAuth2Error) -> Response:
    status, body, challenge = bearer_challenge(error)
    response = jsonify(body)
    response.status_code = status
    response.headers["WWW-Authenticate"] = challenge
    response.headers["Cache-Control"] = NO_STORE
    return response


@oidc_blueprint.post("/oidc/revoke")
def revoke() -> ResponseReturnValue:
    server = provider().server
    try:
        response: Response = server.create_endpoint_response("revocation")
    except OAuth2Error as error:
        response = server.handle_error_response(None, error)
    return response
