"""The portal session an app's sign-in belongs to: who is signed in, since when, and its ``sid``.

The ``sid`` (OpenID Connect Front- and Back-Channel Logout) names one portal
session to the apps without revealing the session's cookie: a random value
kept in the session when it first signs a person in to an app, written on
each code it issues and put in the ID token. Signing out of the portal (or an
app ending the session) finds by it every app signed in through this session.
A new sign-in starts an empty session, so it gets a new ``sid``.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets

from flask import session

from ..identity.models import Person
from .grants import SignedIn
from .storage import db

logger = logging.getLogger("gateway.oidc")

SID_KEY = "oidc_sid"
SID_BYTES = 24


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
        # A session without its sign-in time is treated as signed in long ago: max_age and prompt=login ask again.
        logger.warning("signed-in session without auth_time; treating it as signed in at the epoch")
        auth_time = 0
    amr = session.get("amr")
    methods = tuple(str(method) for method in amr) if isinstance(amr, list | tuple) else ()
    sid = session.get(SID_KEY)
    precise = session.get("signed_in_at")
    signed_in_at = float(precise) if isinstance(precise, int | float) and int(precise) == auth_time else None
    return SignedIn(
        person=person,
        auth_time=auth_time,
        amr=methods,
        sid=sid if isinstance(sid, str) else None,
        signed_in_at=signed_in_at,
    )


def portal_session_id() -> str | None:
    """This session's ``sid``, if it has signed anyone in to an app."""
    sid = session.get(SID_KEY)
    return sid if isinstance(sid, str) and sid else None


def with_portal_session_id(signed_in: SignedIn) -> SignedIn:
    """``signed_in`` with this session's ``sid``, given one now if it has none yet."""
    sid = portal_session_id()
    if sid is None:
        sid = secrets.token_urlsafe(SID_BYTES)
        session[SID_KEY] = sid
    return dataclasses.replace(signed_in, sid=sid)
