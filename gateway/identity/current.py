"""Who is signed in on this request, and signing in and out.

The server-side session holds ``person_id``, ``auth_time`` and ``amr``; the
person is loaded once per request. Signing in rotates the session identifier
(no fixation) and binds it to the person, so a password change or sign-out
can end every session of theirs.
"""

from __future__ import annotations

import time

from flask import current_app, g, session

from bawaba_sdk.identity import PersonView

from ..oidc.freshness import SESSION_KEY as OIDC_AUTH_AFTER_KEY
from ..sessions import bind_person, end_session, rotate_session
from .models import Person
from .people import as_view

PERSON_KEY = "person_id"
AUTH_TIME_KEY = "auth_time"
AMR_KEY = "amr"
SIGNED_IN_AT_KEY = "signed_in_at"
"""The sign-in's instant with fractions of a second (``auth_time`` is whole seconds, as ID tokens carry it)."""
CARRIED_INTO_NEW_SESSION = (OIDC_AUTH_AFTER_KEY,)
"""Values kept when signing in empties the session: they can only make a sign-in stricter (the
earliest sign-in time each waiting app request accepts, so it can resume after this sign-in)."""


def current_person_record() -> Person | None:
    if "gateway_person" not in g:
        person = None
        person_id = session.get(PERSON_KEY)
        if isinstance(person_id, int):
            person = current_app.extensions["gateway"].db_session().get(Person, person_id)
        g.gateway_person = person
    person_or_none: Person | None = g.gateway_person
    return person_or_none


def current_person() -> PersonView | None:
    person = current_person_record()
    return as_view(person) if person is not None else None


def sign_in(person: Person, amr: list[str]) -> None:
    """Make ``person`` the signed-in person of this session, with a new session id."""
    carried = {key: session[key] for key in CARRIED_INTO_NEW_SESSION if key in session}
    session.clear()
    rotate_session()
    session.update(carried)
    session[PERSON_KEY] = person.id
    now = time.time()
    session[AUTH_TIME_KEY] = int(now)
    session[SIGNED_IN_AT_KEY] = now
    session[AMR_KEY] = amr
    bind_person(person.id)
    g.gateway_person = person


def sign_out() -> None:
    end_session()
    g.pop("gateway_person", None)
