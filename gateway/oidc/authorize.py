"""The authorization endpoint and the consent decision.

The endpoint checks the client and its redirect URI itself before anything
else: when either is wrong it shows an error page and never redirects, so the
portal cannot be used to send a person to an attacker's address. Every other
error goes back to the (verified) client as OAuth asks, and every answer that
goes back to the client, code or error, carries ``iss`` (RFC 9207), so a
client talking to several providers can tell which one answered.

Requests may come by GET or, form-encoded, by POST (Core §3.1.2.1). A POST is
answered with a 303 to the same request by GET and nothing else: the session
cookie is SameSite=Lax, so a browser does not send it with an app's
cross-site POST, and the portal would see nobody signed in (and, by writing a
session, could replace the person's cookie). The POST is therefore exempt
from CSRF, because it changes nothing. The consent form posts to its own
endpoint, ``/oidc/authorize/decision``, which keeps the CSRF check.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oidc.core.errors import ConsentRequiredError, LoginRequiredError
from flask import Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from bawaba_sdk.i18n import SUPPORTED_LANGUAGES, current_language, text_in

from ..errors import error_response
from ..i18n import UI_LOCALES, honour_ui_locales
from .freshness import MalformedMaxAgeError, parse_max_age, requirement_for
from .grants import SignedIn, issuer
from .models import OAuthClient
from .portal_session import current_signed_in, with_portal_session_id
from .scopes import requested_scopes, scope_info
from .storage import db, find_client, has_consent, remember_consent, writer
from .views import NO_STORE, oidc_blueprint, provider

logger = logging.getLogger("gateway.oidc")

SIGN_IN_ENDPOINTS = ("account.sign_in", "account.sign_in_page")
SIGN_IN_PATH = "/account/sign-in"
BAD_REQUEST_TITLE = _l("This sign-in link cannot be used")
BAD_REQUEST_MESSAGE = _l(
    "The application that sent you here is not registered with Bawaba, or asked to send you to an address it "
    "did not register. You have not been signed in to it. Go back to the application and try again, or "
    "contact its support."
)
BAD_DECISION_MESSAGE = _l("Please choose Allow or Deny.")


@oidc_blueprint.route("/oidc/authorize", methods=["GET", "POST"])
def authorize() -> ResponseReturnValue:
    """Ask the signed-in person's consent (or use the consent given before), then send the client a code."""
    client = _verified_client()
    if client is None:
        return _cannot_authorize(BAD_REQUEST_MESSAGE)
    if request.method == "POST":
        return redirect(_as_get_request(), code=303)
    honour_ui_locales(request.args.get(UI_LOCALES))
    return _authorization(client, decision=None)


@oidc_blueprint.post("/oidc/authorize/decision")
def decide() -> ResponseReturnValue:
    """The consent form's answer (Allow or Deny), for the request in the query string; CSRF-checked."""
    client = _verified_client()
    if client is None:
        return _cannot_authorize(BAD_REQUEST_MESSAGE)
    honour_ui_locales(request.args.get(UI_LOCALES))
    return _authorization(client, decision=request.form.get("decision", ""))


def _authorization(client: OAuthClient, decision: str | None) -> ResponseReturnValue:
    server = provider().server
    signed_in = current_signed_in()
    try:
        grant = server.get_consent_grant(end_user=signed_in)
    except OAuth2Error as error:
        return _authorization_error(error)
    prompts = set((request.args.get("prompt") or "").split())
    try:
        max_age = parse_max_age(request.args.get("max_age"))
    except MalformedMaxAgeError:
        return _authorization_error(
            InvalidRequestError("Invalid 'max_age' parameter.", redirect_uri=grant.redirect_uri)
        )
    # Recorded at the request's first arrival, even before anyone is signed in (see freshness.py).
    requirement = requirement_for(
        client.client_id, str(grant.request.payload.data.get("nonce")), login="login" in prompts, max_age=max_age
    )
    if signed_in is None:
        return redirect(sign_in_url(_authorization_request_url()))
    if not requirement.satisfied_by(signed_in.sign_in_instant):
        if "none" in prompts:
            return _authorization_error(LoginRequiredError(redirect_uri=grant.redirect_uri))
        return redirect(sign_in_url(_authorization_request_url(), fresh=True))

    scopes = requested_scopes(grant.request.scope)
    if decision is not None:
        if decision == "deny":
            return _to_client(server.create_authorization_response(grant=grant, grant_user=None))
        if decision != "allow":
            return _cannot_authorize(BAD_DECISION_MESSAGE)
        remember_consent(writer(), signed_in.person.id, client.client_id, scopes)
        db().commit()
        return _issue_code(grant, signed_in)
    if "consent" not in prompts and has_consent(db(), signed_in.person.id, client.client_id, scopes):
        return _issue_code(grant, signed_in)
    if "none" in prompts:
        return _authorization_error(ConsentRequiredError(redirect_uri=grant.redirect_uri))
    return _no_store(_consent_page(client, scopes, grant.redirect_uri))


def _issue_code(grant: Any, signed_in: SignedIn) -> Response:
    """The code, bound to this portal session (``sid``) so signing out can reach the app."""
    user = with_portal_session_id(signed_in)
    return _to_client(provider().server.create_authorization_response(grant=grant, grant_user=user))


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


def _as_get_request() -> str:
    """This (POSTed) authorization request as a GET of the same endpoint, every parameter kept."""
    return f"{url_for('oidc.authorize')}?{urlencode(list(request.values.items(multi=True)))}"


def _authorization_request_url() -> str:
    """The request as a local GET path, to come back to after signing in (parameters unchanged)."""
    query = request.query_string.decode("utf-8", "replace")
    return f"{url_for('oidc.authorize')}?{query}"


def sign_in_url(next_path: str, *, fresh: bool = False) -> str:
    """The portal's sign-in page, coming back to ``next_path`` afterwards.

    ``fresh`` asks the page for a new sign-in even when someone is signed in;
    the language the app asked for (``ui_locales``) goes along.
    """
    values: dict[str, Any] = {"next": next_path, **({"fresh": "1"} if fresh else {})}
    if request.args.get(UI_LOCALES):
        values[UI_LOCALES] = request.args[UI_LOCALES]
    for endpoint in SIGN_IN_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, **values)
    return f"{request.script_root}{SIGN_IN_PATH}?{urlencode(values)}"


def _authorization_error(error: OAuth2Error) -> ResponseReturnValue:
    """Back to the client with the error when its redirect URI is known good, else an error page."""
    if error.redirect_uri:
        if error.state is None:
            error.state = request.args.get("state")
        return _to_client(provider().server.handle_error_response(None, error))
    logger.info("authorization request refused: %s", error.error)
    return _cannot_authorize(BAD_REQUEST_MESSAGE)


def _to_client(response: Response) -> Response:
    """An authorization response going back to the client: with ``iss`` (RFC 9207), never stored."""
    location = response.headers.get("Location")
    if location and 300 <= response.status_code < 400:
        response.headers["Location"] = add_params_to_uri(location, [("iss", issuer())])
    return _no_store(response)


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
    query = request.query_string.decode("utf-8", "replace")
    return render_template(
        "oidc/consent.html",
        client=client,
        scopes=items,
        other_language=other_language,
        other_direction="rtl" if other_language == "ar" else "ltr",
        return_to=urlsplit(redirect_uri).netloc or redirect_uri,
        action=f"{url_for('oidc.decide')}?{query}",
    )


def _no_store(response: Any) -> Any:
    if isinstance(response, str):
        response = current_app.make_response(response)
    response.headers["Cache-Control"] = NO_STORE
    return response
