"""Commands of the `gateway staff` group: create the first administrator, list staff.

The first administrator cannot be made in the browser (nobody can sign in
yet), so this command is how a new portal gets one. The password is never
an argument (it would land in shell history and process lists): it is
prompted for, or read from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..audit.log import record
from .staff import StaffProblemsError, all_staff, create_staff, parse_role_options, parse_scope_options


@click.group("staff")
def group() -> None:
    """Back-office staff accounts."""


@group.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name shown to colleagues.")
@click.option("--mobile", required=True, help="Saudi mobile number: sign-in codes are sent here.")
@click.option("--email", default="", help="Email address (optional).")
@click.option("--admin", "is_admin", is_flag=True, help="Make an administrator (manages staff accounts).")
@click.option("--role", "roles", multiple=True, help="program:reviewer or program:supervisor (repeatable).")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    help="program:scope limits that role to one part, e.g. musaned:ML-1001 (an office).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@with_appcontext
def add(
    username: str,
    full_name: str,
    mobile: str,
    email: str,
    is_admin: bool,
    roles: tuple[str, ...],
    scopes: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create a staff account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # The checks word their refusals with flask-babel, which needs a request to pick a language.
    with current_app.test_request_context(), current_app.extensions["gateway"].database.session_factory() as db:
        try:
            account = create_staff(
                db,
                username=username,
                full_name=full_name,
                mobile=mobile,
                password=password,
                email=email,
                is_admin=is_admin,
                roles=parse_role_options(roles),
                scopes=parse_scope_options(scopes),
            )
        except StaffProblemsError as problems:
            for field_name, message in problems.errors.items():
                click.echo(f"{field_name}: {message}", err=True)
            raise SystemExit(1) from None
        record(db, "backoffice.admin.staff_created", actor="cli", staff=account.id, is_admin=is_admin)
        db.commit()
        click.echo(f"staff account {account.username} created (id {account.id})")


@group.command("list")
@with_appcontext
def list_staff() -> None:
    """List staff accounts with their roles."""
    with current_app.extensions["gateway"].database.session_factory() as db:
        for account in all_staff(db):
            roles = (
                ",".join(
                    f"{role.program}:{role.role}" + (f"@{role.scope}" if role.scope else "") for role in account.roles
                )
                or "-"
            )
            flags = ("admin " if account.is_admin else "") + ("active" if account.active else "deactivated")
            click.echo(f"{account.id}\t{account.username}\t{account.full_name}\t{roles}\t{flags}")
