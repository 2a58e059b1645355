"""What a one-time code proves, and whose code it is.

A code is accepted only for the purpose it was sent for, so a sign-in code
read over someone's shoulder cannot reset their password. The set is open
(a new flow may add a purpose) but each one must be a short, lower-case
name, because it is stored, hashed with the code and used to pick the
wording of the message.
"""

from __future__ import annotations

import re
import secrets
from enum import StrEnum

from bawaba_sdk.digits import clean_digits


class Purpose(StrEnum):
    """The purposes the portal's own flows use; any name matching :data:`PURPOSE_PATTERN` works too."""

    REGISTRATION = "registration"
    SIGN_IN = "sign_in"
    PASSWORD_RESET = "password_reset"
    CONTACT_CHANGE = "contact_change"


PURPOSE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
FLOW_ID_PATTERN = re.compile(r"[A-Za-z0-9_\-.:]{1,64}")
SUBJECT_KEY_PATTERN = re.compile(r"[a-z]+:[A-Za-z0-9_\-.@]{1,56}")


def new_flow_id() -> str:
    """A fresh opaque flow id (32 URL-safe characters, 192 random bits) for the server-side session."""
    return secrets.token_urlsafe(24)


def person_key(person_id: int) -> str:
    """The per-person cap's key once the person has a record: ``person:<id>``."""
    return f"person:{int(person_id)}"


def id_number_key(id_number: str) -> str:
    """The per-person cap's key before an account exists: ``id:<ID number>``, digits normalised.

    Normalising here means "١٠١٢..." and "1012 ..." count as the same person.
    """
    digits = clean_digits(id_number)
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("an ID number is made of digits")
    return f"id:{digits}"


def check_purpose(purpose: str) -> str:
    if not PURPOSE_PATTERN.fullmatch(purpose):
        raise ValueError(f"invalid purpose {purpose!r}: use 1-32 lower-case letters, digits and _")
    return str(purpose)


def check_flow_id(flow_id: str) -> str:
    if not FLOW_ID_PATTERN.fullmatch(flow_id):
        raise ValueError("invalid flow id: use 1-64 URL-safe characters (see new_flow_id())")
    return flow_id


def check_subject_key(subject_key: str) -> str:
    if not SUBJECT_KEY_PATTERN.fullmatch(subject_key):
        raise ValueError(f"invalid subject key {subject_key!r}: use person_key() or id_number_key()")
    return subject_key
