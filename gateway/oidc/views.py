"""The provider's HTTP endpoints: discovery, JWKS, authorize (with consent), token, userinfo, revoke.

The authorization endpoint checks the client and its redirect URI itself
before anything else: when either is wrong it shows an error page and never
redirects, so the portal cannot be used to send a person to an attacker's
address. Every other error goes back to the (verified) client as OAuth asks.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6750 import InvalidTokenError
from authlib.oidc.core.errors import ConsentRequiredError, LoginRequiredError
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from bawaba_sdk.i18n import SUPPORTED_LANGUAGES, current_language, text_in

from ..errors import error_response
from ..identity.models import Person
from .claims import user_claims
from .discovery import discovery_document
from .grants import SignedIn
from .models import OAuthClient
from .scopes import requested_scopes, scope_info
from .server import OidcProvider, bearer_challenge
from .storage import db, find_client, has_consent, remember_consent, writer

logger = logging.getLogger("gateway.oidc")

oidc_blueprint = Blueprint("oidc", __name__)

SIGN_IN_ENDPOINTS = ("account.sign_in", "account.sign_in_page")
SIGN_IN_PATH = "/account/sign-in"
BAD_REQUEST_TITLE = _l("This sign-in link cannot be used")
BAD_REQUEST_MESSAGE = _l(
    "The application that sent you here is not registered with Bawaba, or asked to send you to an address it "
    "did not register. You have not been signed in to it. Go back to the application and try again, or "
    "contact its support."
)
BAD_DECISION_MESSAGE = _l("Please choose Allow or Deny.")
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


# -- authorization ----------------------------------------------------------------------


@oidc_blueprint.route("/oidc/authorize", methods=["GET", "POST"])
def authorize() -> ResponseReturnValue:
    """Ask the signed-in person's consent, then send the client a code."""
    client = _verified_client()
    if client is None:
        return _cannot_authorize(BAD_REQUEST_MESSAGE)
    server = provider().server
    signed_in = current_signed_in()
    try:
        grant = server.get_consent_grant(end_user=signed_in)
    except OAuth2Error as error:
        return _authorization_error(error)
    if signed_in is None:
        return redirect(sign_in_url(request.script_root + request.full_path))

    scopes = requested_scopes(grant.request.scope)
    prompts = set((request.values.get("prompt") or "").split())
    if request.method == "GET":
        fresh_needed = _needs_fresh_sign_in(signed_in, prompts, grant.redirect_uri)
        if isinstance(fresh_needed, OAuth2Error):
            return _authorization_error(fresh_needed)
        if fresh_needed:
            return redirect(sign_in_url(_continuation_after_sign_in(), fresh=True))
    session_db = db()
    if request.method == "POST":
        decision = request.form.get("decision")
        if decision == "deny":
            return _no_store(server.create_authorization_response(grant=grant, grant_user=None))
        if decision != "allow":
            return _cannot_authorize(BAD_DECISION_MESSAGE)
        remember_consent(writer(), signed_in.person.id, client.client_id, scopes)
        session_db.commit()
        return _no_store(server.create_authorization_response(grant=grant, grant_user=signed_in))

    if "consent" not in prompts and has_consent(session_db, signed_in.person.id, client.client_id, scopes):
        return _no_store(server.create_authorization_response(grant=grant, grant_user=signed_in))
    if "none" in prompts:
        return _authorization_error(
            ConsentRequiredError(redirect_uri=grant.redirect_uri, state=request.values.get("state"))
        )
    return _no_store(_consent_page(client, scopes, grant.redirect_uri))


def _needs_fresh_sign_in(signed_in: SignedIn, prompts: set[str], redirect_uri: str) -> bool | OAuth2Error:
    """Whether the client asked for a sign-in newer than this session's (``prompt=login``, ``max_age``).

    With ``prompt=none`` no page may be shown, so the answer is then
    ``login_required``; a ``max_age`` that is not a whole number of seconds is
    ``invalid_request``. Both go back to the (verified) redirect URI.
    """
    state = request.values.get("state")
    raw_max_age = request.values.get("max_age")
    too_old = False
    if raw_max_age is not None:
        if not raw_max_age.isascii() or not raw_max_age.isdigit() or len(raw_max_age) > 10:
            return InvalidRequestError("Invalid 'max_age' parameter.", redirect_uri=redirect_uri, state=state)
        too_old = int(time.time()) - signed_in.auth_time > int(raw_max_age)
    if not (too_old or "login" in prompts):
        return False
    if "none" in prompts:
        return LoginRequiredError(redirect_uri=redirect_uri, state=state)
    return True


def _continuation_after_sign_in() -> str:
    """This authorization request as it should be resumed once the person has signed in again.

    Without ``login`` in ``prompt`` and without ``max_age``: the sign-in that
    has just happened satisfies both, and keeping them would ask again forever
    (``max_age=0``).
    """
    query = []
    for name, value in request.args.items(multi=True):
        if name == "max_age":
            continue
        if name == "prompt":
            value = " ".join(part for part in value.split() if part != "login")
            if not value:
                continue
        query.append((name, value))
    return f"{request.script_root}{request.path}?{urlencode(query)}"


def _verified_client() -> OAuthClient | None:
    """The client when exactly one known client_id and one of its registered redirect URIs are given."""
    client_ids = request.values.getlist("client_id")
    redirect_uris = request.values.getlist("redirect_uri")
    if len(client_ids) != 1 or len(redirect_uris) != 1:
        return None
    client = find_client(db(), client_ids[0])
    if client is None or not client.check_redirect_uri(redirect_uris[0]):
        logger.warning("authorization request refused without redirect: unknown client or redirect URI")
        return None
    return client


def current_signed_in() -> SignedIn | None:
    """The person signed in to the portal in this browser, if any (from the shared session)."""
    person_id = session.get("person_id")
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        return None
    person = db().get(Person, person_id)
    if person is None:
        return None
    auth_time = session.get("auth_time")
    if not isinstance(auth_time, int) or isinstance(auth_time, bool):
        logger.warning("signed-in session without auth_time; using the current time")
        auth_time = int(time.time())
    amr = session.get("amr")
    methods = tuple(str(method) for method in amr) if isinstance(amr, list | tuple) else ()
    return SignedIn(person=person, auth_time=auth_time, amr=methods)


def sign_in_url(next_path: str, *, fresh: bool = False) -> str:
    """The portal's sign-in page, coming back to ``next_path`` afterwards.

    ``fresh`` asks the page for a new sign-in even when someone is signed in.
    """
    values: dict[str, Any] = {"next": next_path, **({"fresh": "1"} if fresh else {})}
    for endpoint in SIGN_IN_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, **values)
    return f"{request.script_root}{SIGN_IN_PATH}?{urlencode(values)}"


def _authorization_error(error: OAuth2Error) -> ResponseReturnValue:
    """Back to the client with the error when its redirect URI is known good, else an error page."""
    if error.redirect_uri:
        if error.state is None:
            error.state = request.values.get("state")
        return _no_store(provider().server.handle_error_response(None, error))
    logger.info("authorization request refused: %s", error.error)
    return _cannot_authorize(BAD_REQUEST_MESSAGE)


def _cannot_authorize(message: Any) -> Response:
    response = error_response(400, str(BAD_REQUEST_TITLE), str(message), "invalid_request")
    response.headers["Cache-Control"] = NO_STORE
    return response


def _consent_page(client: OAuthClient, scopes: list[str], redirect_uri: str) -> str:
    language = current_language()
    other_language = next(code for code in SUPPORTED_LANGUAGES if code != language)
    items = []
    for name in scopes:
        info = scope_info(name)
        if info is None:
            continue
        items.append(
            {
                "name": name,
                "label": str(info.label),
                "detail": str(info.detail),
                "other_label": text_in(info.label, other_language),
                "other_detail": text_in(info.detail, other_language),
            }
        )
    return render_template(
        "oidc/consent.html",
        client=client,
        scopes=items,
        other_language=other_language,
        other_direction="rtl" if other_language == "ar" else "ltr",
        return_to=urlsplit(redirect_uri).netloc or redirect_uri,
        action=request.script_root + request.full_path,
    )


def _no_store(response: Any) -> Any:
    if isinstance(response, str):
        response = current_app.make_response(response)
    response.headers["Cache-Control"] = NO_STORE
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
    if person is None:  # removed after the token was issued (its tokens go with it, but be sure)
        return _bearer_refusal(InvalidTokenError())
    response = jsonify(user_claims(person, access.scope))
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


MACHINE_VIEWS = (token, userinfo, revoke)
"""Called by apps, not browsers, and authenticated by client credentials or bearer tokens: no CSRF token."""
