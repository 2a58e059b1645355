"""Small helpers for the account forms: read, normalise, collect errors.

The account pages are few and security-sensitive, so each reads its fields
explicitly with the SDK's validators; errors are collected per field, shown
in an error summary that links to each field, and what the person typed is
kept (except passwords and codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from flask_babel import lazy_gettext as _l

from bawaba_sdk.digits import clean_digits, strip_invisibles
from bawaba_sdk.validators import InvalidValue

T = TypeVar("T")

USERNAME_PATTERN = re.compile(r"^(?=.*[a-z])[a-z0-9]{4,32}$")
"""Letters and digits, with at least one letter so a username is never mistaken for an ID number."""
DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"',;:()\[\]\\]{1,64}@" + DOMAIN_LABEL + r"(?:\." + DOMAIN_LABEL + r")+$")
MAX_TEXT_LENGTH = 100


class FormErrors(dict[str, str]):
    """Field name -> message, in the order the fields appear."""

    def add(self, field: str, message: Any) -> None:
        self.setdefault(field, str(message))


def text(name: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """A text field, stripped of invisible characters and surrounding spaces, cut to a sane length."""
    return strip_invisibles(request.form.get(name, ""))[: max_length * 4].strip()


def parse(errors: FormErrors, field: str, value: str, parser: Callable[[str], T], required_message: Any) -> T | None:
    """Run an SDK parser; record its message (or ``required_message`` when empty) on failure."""
    if not value:
        errors.add(field, required_message)
        return None
    try:
        return parser(value)
    except InvalidValue as invalid:
        errors.add(field, invalid.message)
        return None


def parse_name(errors: FormErrors, field: str, value: str, required_message: Any) -> str | None:
    if not value:
        errors.add(field, required_message)
        return None
    if len(value) > MAX_TEXT_LENGTH:
        errors.add(field, _l("Use at most %(maximum)s characters.", maximum=MAX_TEXT_LENGTH))
        return None
    return value


def parse_username(errors: FormErrors, value: str) -> str | None:
    username = value.casefold()
    if not username:
        errors.add("username", _l("Choose a username."))
        return None
    if not USERNAME_PATTERN.match(username):
        errors.add("username", _l("Use 4 to 32 English letters and digits, with at least one letter."))
        return None
    return username


def parse_email(errors: FormErrors, value: str, *, required: bool = True) -> str | None:
    if not value:
        if required:
            errors.add("email", _l("Enter your email address."))
        return None
    if len(value) > 254 or not EMAIL_PATTERN.match(value):
        errors.add("email", _l("Enter an email address like name@example.com."))
        return None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def identifier(value: str) -> str:
    """An ID number typed any way (Arabic-Indic digits, spaces) or a username, normalised."""
    digits = clean_digits(value)
    return digits if digits.isdigit() else value.strip().casefold()


def code_value() -> str:
    return clean_digits(request.form.get("code", ""))[:12]
