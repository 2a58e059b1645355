"""Creating and changing staff accounts: shared by the admin pages and the ``gateway staff`` commands.

Both paths check the same rules here (username shape, a Saudi mobile for the
sign-in codes, the password policy, known programs and roles), so an account
made from the command line is exactly as valid as one made in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk.validators.errors import InvalidValue
from bawaba_sdk.validators.phone import normalize_saudi_mobile

from ..identity.passwords import PasswordHashing, password_problems
from .models import ROLES, StaffAccount, StaffRole

USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{2,31}")
SCOPE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
EMAIL_PATTERN = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}")
MAX_NAME_LENGTH = 200


@dataclass
class StaffProblemsError(Exception):
    """Field errors (field name -> message) that stopped a change; nothing was stored."""

    errors: dict[str, str] = field(default_factory=dict)


def hashing() -> PasswordHashing:
    hasher: PasswordHashing = current_app.extensions["gateway.passwords"]
    return hasher


def staff_by_username(db: Session, username: str) -> StaffAccount | None:
    return db.scalars(select(StaffAccount).where(StaffAccount.username == username.strip().lower())).first()


def all_staff(db: Session) -> list[StaffAccount]:
    return list(db.scalars(select(StaffAccount).order_by(StaffAccount.username)).all())


def program_slugs() -> list[str]:
    """The programs the portal serves now: the only ones a role can name."""
    plugins = current_app.extensions["gateway"].plugins
    return sorted({record.program.slug for record in plugins.records.values() if record.program is not None})


def create_staff(
    db: Session,
    *,
    username: str,
    full_name: str,
    mobile: str,
    password: str,
    email: str = "",
    is_admin: bool = False,
    roles: Mapping[str, str] | None = None,
    scopes: Mapping[str, str] | None = None,
) -> StaffAccount:
    """Check everything, then add the account (the caller commits); raise :class:`StaffProblemsError` otherwise.

    ``scopes`` (program -> scope) limits the role in that program to the
    applications with that scope: an office user sees only their office's.
    """
    errors: dict[str, str] = {}
    username = username.strip().lower()
    full_name = full_name.strip()
    email = email.strip()
    if not USERNAME_PATTERN.fullmatch(username):
        errors["username"] = str(
            _l("Use 3 to 32 lower-case letters, digits, dots, dashes or underscores, starting with a letter.")
        )
    elif staff_by_username(db, username) is not None:
        errors["username"] = str(_l("This username is already taken."))
    if not full_name or len(full_name) > MAX_NAME_LENGTH:
        errors["full_name"] = str(_l("Enter the full name (at most %(maximum)s characters).", maximum=MAX_NAME_LENGTH))
    if email and (len(email) > 254 or not EMAIL_PATTERN.fullmatch(email)):
        errors["email"] = str(_l("Enter an email address like name@example.com."))
    try:
        e164 = normalize_saudi_mobile(mobile)
    except InvalidValue as invalid:
        errors["mobile"] = str(invalid.message)
        e164 = ""
    config = current_app.config
    problems = password_problems(
        password,
        minimum=config["GATEWAY_PASSWORD_MIN_LENGTH"],
        maximum=config["GATEWAY_PASSWORD_MAX_LENGTH"],
        context=[username, *full_name.split()],
    )
    if problems:
        errors["password"] = " ".join(problem.message for problem in problems)
    try:
        checked_roles = check_roles(roles or {})
        checked_scopes = check_scopes(scopes or {}, checked_roles)
    except StaffProblemsError as bad:
        errors.update(bad.errors)
        checked_roles, checked_scopes = {}, {}
    if errors:
        raise StaffProblemsError(errors)
    account = StaffAccount(
        username=username,
        full_name=full_name,
        email=email or None,
        mobile=e164,
        password_hash=hashing().hash(password),
        is_admin=is_admin,
        active=True,
    )
    db.add(account)
    for program, role in sorted(checked_roles.items()):
        account.roles.append(StaffRole(program=program, role=role, scope=checked_scopes.get(program)))
    db.flush()
    return account


def check_scopes(scopes: Mapping[str, str], roles: Mapping[str, str]) -> dict[str, str]:
    """A scope only where the account has a role; 1 to 64 visible characters without spaces."""
    checked = {}
    for program, scope in scopes.items():
        scope = (scope or "").strip()
        if not scope:
            continue
        if program not in roles:
            raise StaffProblemsError(
                {"scopes": str(_l("A scope needs a role in the same program: %(program)s.", program=program))}
            )
        if not SCOPE_PATTERN.fullmatch(scope):
            raise StaffProblemsError(
                {"scopes": str(_l("Write a scope as 1 to 64 letters, digits, dots, dashes or underscores."))}
            )
        checked[program] = scope
    return checked


def roles_of_program(slug: str) -> tuple[str, ...]:
    """The roles staff may have in program ``slug``: the portal's, then those the program declares."""
    from ..applications.service import program_named

    program = program_named(slug)
    declared = tuple(role for role, _label in program.staff_roles) if program is not None else ()
    return ROLES + tuple(role for role in declared if role not in ROLES)


def check_roles(roles: Mapping[str, str]) -> dict[str, str]:
    """Only served programs and known roles; an empty role means "no role in that program"."""
    known = set(program_slugs())
    checked = {}
    for program, role in roles.items():
        if not role:
            continue
        if program not in known:
            raise StaffProblemsError({"roles": str(_l("Unknown program: %(program)s.", program=program))})
        if role not in roles_of_program(program):
            raise StaffProblemsError({"roles": str(_l("Unknown role: %(role)s.", role=role))})
        checked[program] = role
    return checked


def set_roles(
    db: Session, account: StaffAccount, roles: Mapping[str, str], scopes: Mapping[str, str] | None = None
) -> None:
    """Replace the account's roles with ``roles`` (program -> role) and their scopes; the caller commits."""
    checked = check_roles(roles)
    checked_scopes = check_scopes(scopes or {}, checked)
    for existing in list(account.roles):
        if existing.program not in checked:
            account.roles.remove(existing)
        else:
            existing.role = checked.pop(existing.program)
            existing.scope = checked_scopes.get(existing.program)
    for program, role in sorted(checked.items()):
        account.roles.append(StaffRole(program=program, role=role, scope=checked_scopes.get(program)))
    db.flush()


def parse_role_options(values: Iterable[str]) -> dict[str, str]:
    """``program:role`` strings (from the command line) as a mapping; refuses a malformed one."""
    roles = {}
    for value in values:
        program, colon, role = value.partition(":")
        if not colon or not program or not role:
            raise StaffProblemsError({"roles": str(_l("Write each role as program:role, e.g. musaned:reviewer."))})
        roles[program.strip()] = role.strip()
    return roles


def parse_scope_options(values: Iterable[str]) -> dict[str, str]:
    """``program:scope`` strings (from the command line) as a mapping; refuses a malformed one."""
    scopes = {}
    for value in values:
        program, colon, scope = value.partition(":")
        if not colon or not program or not scope:
            raise StaffProblemsError({"scopes": str(_l("Write each scope as program:scope, e.g. musaned:ML-1001."))})
        scopes[program.strip()] = scope.strip()
    return scopes
