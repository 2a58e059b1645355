"""The administrator's pages: the staff list, creating staff, their roles per program, deactivation.

Only administrators reach these pages (anyone else gets a 404). Every change
is written to the audit log with the administrator as the actor.
Deactivating keeps the account (its name stays on the history it made) but
it can no longer sign in, and its open sessions stop working at once because
every request reloads the account and checks ``active``.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..applications.service import program_named
from ..audit.log import record
from .access import db, signed_in_staff, staff_required
from .blueprint import backoffice_blueprint
from .models import ROLES, StaffAccount
from .staff import StaffProblemsError, all_staff, create_staff, program_slugs, set_roles

FIELD_LENGTH = 300


def _field(name: str) -> str:
    return request.form.get(name, "")[:FIELD_LENGTH]


def _roles_from_form() -> dict[str, str]:
    return {slug: request.form.get(f"role-{slug}", "")[:16] for slug in program_slugs()}


def _scopes_from_form() -> dict[str, str]:
    """Per program, the one part (an office's licence) the role is limited to; empty for all of it."""
    # Read a little past the 64-character limit so an overlong scope is refused, never silently cut to another one.
    # A scope left in the form of a program whose role was just removed goes with the role.
    roles = _roles_from_form()
    return {slug: request.form.get(f"scope-{slug}", "")[:256].strip() for slug in program_slugs() if roles.get(slug)}


def _programs() -> list[tuple[str, object]]:
    return [(slug, program_named(slug)) for slug in program_slugs()]


def _audit(event: str, target: StaffAccount, **details: Any) -> None:
    record(db(), f"backoffice.admin.{event}", actor=f"staff:{signed_in_staff().id}", staff=target.id, **details)


@backoffice_blueprint.get("/admin/staff")
@staff_required(admin=True)
def admin_staff() -> ResponseReturnValue:
    return render_template("backoffice/admin_staff.html", accounts=all_staff(db()))


@backoffice_blueprint.route("/admin/staff/new", methods=["GET", "POST"])
@staff_required(admin=True)
def admin_new_staff() -> ResponseReturnValue:
    context = {"programs": _programs(), "roles": ROLES}
    if request.method == "GET":
        return render_template("backoffice/admin_new.html", errors={}, form={}, **context)
    form = {name: _field(name) for name in ("username", "full_name", "email", "mobile")}
    chosen = _roles_from_form()
    try:
        account = create_staff(
            db(),
            username=form["username"],
            full_name=form["full_name"],
            email=form["email"],
            mobile=form["mobile"],
            password=request.form.get("password", "")[:1100],
            is_admin=request.form.get("is_admin") == "y",
            roles=chosen,
            scopes=_scopes_from_form(),
        )
    except StaffProblemsError as problems:
        db().rollback()
        return render_template(
            "backoffice/admin_new.html", errors=problems.errors, form=form, chosen=chosen, **context
        ), 400
    _audit(
        "staff_created",
        account,
        is_admin=account.is_admin,
        roles={r.program: r.role for r in account.roles},
        scopes={r.program: r.scope for r in account.roles if r.scope},
    )
    db().commit()
    flash(_("The staff account %(username)s was created.", username=account.username), "success")
    return redirect(url_for("backoffice.admin_edit_staff", staff_id=account.id), code=303)


def _account_or_404(staff_id: int) -> StaffAccount:
    account = db().get(StaffAccount, staff_id)
    if account is None:
        abort(404)
    return account


@backoffice_blueprint.route("/admin/staff/<int:staff_id>", methods=["GET", "POST"])
@staff_required(admin=True)
def admin_edit_staff(staff_id: int) -> ResponseReturnValue:
    account = _account_or_404(staff_id)
    context = {
        "account": account,
        "programs": _programs(),
        "roles": ROLES,
        "current_roles": {role.program: role.role for role in account.roles},
        "current_scopes": {role.program: role.scope or "" for role in account.roles},
    }
    if request.method == "GET":
        return render_template("backoffice/admin_edit.html", errors={}, **context)
    chosen = _roles_from_form()
    try:
        set_roles(db(), account, chosen, _scopes_from_form())
    except StaffProblemsError as problems:
        db().rollback()
        return render_template("backoffice/admin_edit.html", errors=problems.errors, **context), 400
    _audit(
        "roles_changed",
        account,
        roles={r.program: r.role for r in account.roles},
        scopes={r.program: r.scope for r in account.roles if r.scope},
    )
    db().commit()
    flash(_("The roles were saved."), "success")
    return redirect(url_for("backoffice.admin_edit_staff", staff_id=account.id), code=303)


@backoffice_blueprint.post("/admin/staff/<int:staff_id>/deactivate")
@staff_required(admin=True)
def admin_deactivate_staff(staff_id: int) -> ResponseReturnValue:
    account = _account_or_404(staff_id)
    if account.id == signed_in_staff().id:
        flash(_("You cannot deactivate your own account."), "warning")
        return redirect(url_for("backoffice.admin_edit_staff", staff_id=account.id), code=303)
    account.active = False
    _audit("staff_deactivated", account)
    db().commit()
    flash(_("The staff account %(username)s was deactivated.", username=account.username), "success")
    return redirect(url_for("backoffice.admin_staff"), code=303)
