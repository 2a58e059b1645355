"""Test kit: a staff member with a role in a program, signed in to the back office on a test client.

The account is made by the host's own code (the same checks as the admin
pages: a known program, a known role) and the session is the one a real
sign-in with password and code leaves, without driving those pages::

    from bawaba_sdk.testing.staff import sign_in_staff

    def test_a_reviewer_sees_the_queue(make_portal):
        app = make_portal(plugins="parks")
        staff = sign_in_staff(app, "parks", "reviewer")
        assert staff.get("/backoffice/parks/").status_code == 200

The ``sign_in_staff`` fixture is the same function, for tests that prefer
fixtures. Roles are ``reviewer`` and ``supervisor``; ``scope`` limits the role
to the applications of one scope (an office's licence, say).
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

from flask.testing import FlaskClient

from .host_kit import StaffMember, host_kit

_NUMBERS = itertools.count(1)
_SIGNED_IN: weakref.WeakKeyDictionary[FlaskClient, StaffMember] = weakref.WeakKeyDictionary()


def sign_in_staff(
    app: Any,
    program: str | None = None,
    role: str = "reviewer",
    *,
    username: str | None = None,
    scope: str | None = None,
    admin: bool = False,
    client: FlaskClient | None = None,
) -> FlaskClient:
    """A test client signed in as a new staff account with ``role`` in ``program`` (or none: only ``admin``).

    ``username`` defaults to a new ``staffN``; ``client`` signs an existing
    client in instead of a new one; :func:`staff_member` tells which account
    a client is signed in as. A program the
    portal does not serve or an unknown role raises ``ValueError`` with the
    host's messages.
    """
    signed = client if client is not None else app.test_client()
    roles = {program: role} if program else {}
    scopes = {program: scope} if program and scope else {}
    name = username or f"staff{next(_NUMBERS)}"
    member: StaffMember = host_kit().sign_in_staff(app, signed, name, roles, scopes, admin)
    _SIGNED_IN[signed] = member
    return signed


def staff_member(client: FlaskClient) -> StaffMember:
    """The staff account :func:`sign_in_staff` signed ``client`` in as (id, username, mobile)."""
    try:
        return _SIGNED_IN[client]
    except KeyError:
        raise LookupError("this client was not signed in with sign_in_staff") from None


__all__ = ["StaffMember", "sign_in_staff", "staff_member"]
