"""Who is calling: the person behind the OpenID Connect access token, nothing else.

The API never reads the browser session or its cookie: an app acts for a
person only with a token that person granted, carrying the ``applications``
scope. Refusals follow RFC 6750 (``WWW-Authenticate: Bearer``) with the
host's JSON error body in the request's language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6750 import InvalidTokenError
from flask import Response, current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..errors import TITLES, error_response
from ..identity.models import Person
from ..oidc.server import REALM, bearer_challenge

SCOPE = "applications"
REQUIRED_SCOPES = f"openid {SCOPE}"

UNAUTHORIZED_TITLE = _l("Sign-in required")
UNAUTHORIZED_MESSAGE = _l("Send a valid, unexpired access token in the Authorization header.")
FORBIDDEN_MESSAGE = _l("This app was not given access to your applications. Sign in again and allow it.")

View = TypeVar("View", bound=Callable[..., Any])


def db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def caller() -> Person:
    """The person the request's access token was granted by (set by :func:`token_required`)."""
    person: Person = g.api_person
    return person


def refusal(error: OAuth2Error) -> Response:
    """401 or 403 with a bearer challenge that names the scopes this API needs."""
    status, body, challenge = bearer_challenge(error)
    if status == 403:
        challenge = f'Bearer realm="{REALM}", error="insufficient_scope", scope="{REQUIRED_SCOPES}"'
        response = error_response(403, str(TITLES[403]), str(FORBIDDEN_MESSAGE), "insufficient_scope")
    else:
        response = error_response(401, str(UNAUTHORIZED_TITLE), str(UNAUTHORIZED_MESSAGE), str(body["error"]))
    response.headers["WWW-Authenticate"] = challenge
    return response


def token_required(view: View) -> View:
    """Let the view run only for a live access token with ``openid`` and ``applications``."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            token = current_app.extensions["oidc"].bearer_token(REQUIRED_SCOPES)
        except OAuth2Error as error:
            return refusal(error)
        person = db().get(Person, token.person_id)
        if person is None:  # removed after the token was issued
            return refusal(InvalidTokenError())
        g.api_person = person
        g.gateway_person = person  # sdk.current_person() is the token's person (dynamic choices, eligibility)
        return view(*args, **kwargs)

    return cast(View, guarded)
