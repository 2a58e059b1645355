"""Who the signed-in staff member is, and the guard every back-office page sits behind.

A staff member without a role in a program gets the same 404 for that
program's pages as for a program that does not exist: the back office never
confirms that a queue, an application or a document is there to someone who
may not see it. Only signing in is answered with a redirect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from ..audit.denials import deny
from .blueprint import backoffice_blueprint
from .models import ROLES, StaffAccount
from .staff import roles_of_program

STAFF_KEY = "staff_id"

F = TypeVar("F", bound=Callable[..., Any])


def db() -> Session:
    session_: Session = current_app.extensions["gateway"].db_session()
    return session_


def current_staff() -> StaffAccount | None:
    """The active staff account of this session, loaded once per request."""
    if "backoffice_staff" not in g:
        staff = None
        staff_id = session.get(STAFF_KEY)
        if isinstance(staff_id, int):
            staff = db().get(StaffAccount, staff_id)
            if staff is not None and not staff.active:
                staff = None
        g.backoffice_staff = staff
    found: StaffAccount | None = g.backoffice_staff
    return found


def signed_in_staff() -> StaffAccount:
    staff = current_staff()
    assert staff is not None, "only called behind staff_required"
    return staff


def staff_required(
    program_slug: str | None = None, roles: Iterable[str] | None = None, admin: bool = False
) -> Callable[[F], F]:
    """Let in only a signed-in, active staff member with one of ``roles`` in the program.

    The program is ``program_slug`` if given, else the view's ``program``
    argument; with neither, any signed-in staff member passes. ``admin``
    requires an administrator. ``roles`` defaults to every role of the
    program: the portal's and those the program declares (``Program.staff_roles``).
    """
    chosen = tuple(roles) if roles is not None else None

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            staff = current_staff()
            if staff is None:
                return redirect(url_for("backoffice.sign_in", next=request.path), code=303)
            if admin and not staff.is_admin:
                deny("administration", request.path, reason="not_an_administrator", actor=f"staff:{staff.id}")
            program = program_slug or kwargs.get("program")
            allowed = chosen if chosen is not None else (roles_of_program(str(program)) if program else ROLES)
            if program is not None and staff.role_in(str(program)) not in allowed:
                role = staff.role_in(str(program))
                reason = "outside_their_programs" if role is None else "role_not_allowed"
                deny("program", str(program), reason=reason, actor=f"staff:{staff.id}", role=role)
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


@backoffice_blueprint.context_processor
def _template_globals() -> dict[str, Any]:
    """``backoffice_staff()`` in the back office's templates (the staff bar)."""
    return {"backoffice_staff": current_staff}
