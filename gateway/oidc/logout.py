"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): an app ends the portal session.

``end_session_endpoint`` (``/oidc/logout``) takes ``id_token_hint``,
``client_id``, ``post_logout_redirect_uri``, ``state`` and ``ui_locales``.
The person is signed out at once only when the hint is an ID token this
portal issued *for this very session* (its ``sid``) and person: only the app
the person is signed in to holds it, so a link planted elsewhere cannot sign
anyone out. Without a hint, or with one that does not match, the portal asks
first, on a confirmation page whose form is CSRF-checked.

The person goes back to ``post_logout_redirect_uri`` (with ``state``) only
when it is registered, exactly, for the app the hint or ``client_id`` names;
any other value gets an error page and no redirect, as for redirect URIs.
Ending the session ends the person's other apps too (:mod:`.backchannel`).

Like the authorization endpoint, a POSTed request is answered with a 303 to
the same request by GET (the Lax session cookie is not sent with an app's
cross-site POST); that POST changes nothing and is exempt from CSRF.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.common.urls import add_params_to_uri
from flask import Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from joserfc import jwt
from joserfc.errors import JoseError

from ..audit.log import AuditEvents, record
from ..errors import error_response
from ..i18n import UI_LOCALES, honour_ui_locales
from ..identity.current import sign_out
from .backchannel import end_app_sessions
from .grants import SignedIn, issuer
from .keys import ALGORITHM
from .models import OAuthClient
from .portal_session import current_signed_in, portal_session_id
from .storage import db, find_client
from .views import NO_STORE, oidc_blueprint, provider

logger = logging.getLogger("gateway.oidc")

MAX_HINT_LENGTH = 8192
BAD_LOGOUT_TITLE = _l("This sign-out link cannot be used")
BAD_LOGOUT_MESSAGE = _l(
    "The application that sent you here asked to send you back to an address it did not register, or sent a "
    "sign-out request Bawaba did not issue. Nothing was changed. Go back to the application, or sign out from "
    "Bawaba's menu."
)


class LogoutRequestError(ValueError):
    """The logout request is malformed or names an address not registered for its app."""


@dataclass(frozen=True)
class LogoutRequest:
    client: OAuthClient | None
    hint: dict[str, Any] | None
    """The verified claims of ``id_token_hint``."""
    post_logout_redirect_uri: str | None
    state: str | None

    def is_for(self, signed_in: SignedIn, sid: str | None) -> bool:
        """Whether the hint was issued to this session's app for this person (so no need to ask)."""
        if self.hint is None or self.client is None or sid is None or self.hint.get("sid") != sid:
            return False
        return bool(self.hint.get("sub") == provider().subject(self.client, signed_in.person))


def read_logout_request(values: Any) -> LogoutRequest:
    """Check the request's parameters; raise :class:`LogoutRequestError` for anything to refuse."""
    for name in ("id_token_hint", "client_id", "post_logout_redirect_uri", "state"):
        if len(values.getlist(name)) > 1:
            raise LogoutRequestError(f"{name} repeated")
    hint = _verified_hint(values.get("id_token_hint"))
    client_id = values.get("client_id")
    audience = hint.get("aud") if hint else None
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id and hint and client_id not in audiences:
        raise LogoutRequestError("client_id is not the hint's audience")
    named = client_id or (audiences[0] if len(audiences) == 1 else None)
    client = find_client(db(), named) if named else None
    uri = values.get("post_logout_redirect_uri")
    if uri and (client is None or uri not in client.post_logout_redirect_uris):
        raise LogoutRequestError("post_logout_redirect_uri is not registered for the client")
    return LogoutRequest(client=client, hint=hint, post_logout_redirect_uri=uri or None, state=values.get("state"))


def _verified_hint(token: str | None) -> dict[str, Any] | None:
    """The claims of an ID token this portal signed (an expired one too, as the spec allows), else an error."""
    if not token:
        return None
    if len(token) > MAX_HINT_LENGTH:
        raise LogoutRequestError("id_token_hint too long")
    try:
        decoded = jwt.decode(token, provider().keys.get().key, algorithms=[ALGORITHM])
    except (JoseError, ValueError) as exc:
        raise LogoutRequestError("id_token_hint not signed by this provider") from exc
    claims = dict(decoded.claims)
    if claims.get("iss") != issuer():
        raise LogoutRequestError("id_token_hint from another issuer")
    return claims


@oidc_blueprint.route("/oidc/logout", methods=["GET", "POST"])
def end_session() -> ResponseReturnValue:
    """The end_session_endpoint: sign out when the app's hint matches this session, else ask first."""
    if request.method == "POST":
        return redirect(f"{url_for('oidc.end_session')}?{urlencode(list(request.values.items(multi=True)))}", 303)
    honour_ui_locales(request.args.get(UI_LOCALES))
    try:
        logout = read_logout_request(request.args)
    except LogoutRequestError as exc:
        logger.info("logout request refused: %s", exc)
        return _cannot_log_out()
    signed_in = current_signed_in()
    if signed_in is None:
        return _finish(logout)
    if logout.is_for(signed_in, portal_session_id()):
        _end_portal_session(signed_in, logout.client)
        return _finish(logout)
    query = request.query_string.decode("utf-8", "replace")
    page = render_template(
        "oidc/logout.html",
        client=logout.client,
        action=f"{url_for('oidc.confirm_end_session')}?{query}",
    )
    return _no_store(page)


@oidc_blueprint.post("/oidc/logout/confirm")
def confirm_end_session() -> ResponseReturnValue:
    """The confirmation page's answer (CSRF-checked): sign out, or stay signed in."""
    honour_ui_locales(request.args.get(UI_LOCALES))
    try:
        logout = read_logout_request(request.args)
    except LogoutRequestError as exc:
        logger.info("logout confirmation refused: %s", exc)
        return _cannot_log_out()
    if request.form.get("decision") != "sign_out":
        return redirect(url_for("home.index"), code=303)
    signed_in = current_signed_in()
    if signed_in is not None:
        _end_portal_session(signed_in, logout.client)
    return _finish(logout)


def _end_portal_session(signed_in: SignedIn, client: OAuthClient | None) -> None:
    """Sign the person out of the portal and of every app this session signed in to."""
    initiator = client.client_id if client is not None else None
    session = db()
    record(session, AuditEvents.SIGNED_OUT, person_id=signed_in.person.id, initiator=initiator)
    session.commit()
    end_app_sessions(signed_in.person.id, portal_session_id(), initiator=initiator)
    sign_out()


def _finish(logout: LogoutRequest) -> Response:
    """Back to the app's registered address (with ``state``), or the portal's signed-out page."""
    if logout.post_logout_redirect_uri:
        params = [("state", logout.state)] if logout.state else []
        return _no_store(redirect(add_params_to_uri(logout.post_logout_redirect_uri, params), code=303))
    return _no_store(render_template("oidc/signed_out.html", client=logout.client))


def _cannot_log_out() -> Response:
    response = error_response(400, str(BAD_LOGOUT_TITLE), str(BAD_LOGOUT_MESSAGE), "invalid_request")
    response.headers["Cache-Control"] = NO_STORE
    return response


def _no_store(response: Any) -> Response:
    if isinstance(response, str):
        response = current_app.make_response(response)
    response.headers["Cache-Control"] = NO_STORE
    return response
