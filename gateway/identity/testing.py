"""Signing a sandbox person in on a test client, for plugins' own test suites.

Why in the host: a plugin's tests must reach its signed-in pages without
driving registration and one-time codes each time, and without importing
``gateway``. The SDK's ``sign_in_as`` fixture finds this function through the
``gateway.host`` entry point. It works only in a portal built with
``ENV=testing`` (``make_portal`` builds those), never in development or
production.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask

from .current import AMR_KEY, AUTH_TIME_KEY, PERSON_KEY
from .people import as_view, person_by_id_number, person_from_registry


def sign_in_for_tests(app: Flask, client: Any, id_number: str) -> Any:
    """Sign ``client`` in as the registry's person ``id_number`` (made a person of the portal if new).

    Returns the person as plugins see them (``sdk.PersonView``). Raises
    ``RuntimeError`` outside ``ENV=testing`` and ``LookupError`` for an ID the
    registry does not know.
    """
    if app.config.get("GATEWAY_ENV") != "testing":
        raise RuntimeError("sign_in_as works only in a portal built for tests (ENV=testing)")
    host = app.extensions["gateway"]
    with app.app_context():
        db = host.db_session()
        person = person_by_id_number(db, id_number)
        if person is None:
            record = host.registry.lookup(id_number)
            if record is None:
                raise LookupError(f"the registry has no person with ID number {id_number}")
            person = person_from_registry(record)
            db.add(person)
            db.commit()
        view = as_view(person)
    with client.session_transaction() as session:
        session.clear()
        session[PERSON_KEY] = view.id
        session[AUTH_TIME_KEY] = int(time.time())
        session[AMR_KEY] = ["pwd", "otp"]
    return view
