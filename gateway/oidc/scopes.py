"""The scopes an outside app may ask for, what each releases, and the assurance level.

Each scope has a short label and a sentence for the consent page, so a person
knows exactly what they hand over. The national ID number has a scope of its
own: an app that only needs to sign a person in never sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel.support import LazyProxy
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ScopeInfo:
    name: str
    label: LazyProxy
    detail: LazyProxy
    claims: tuple[str, ...]


SCOPES: tuple[ScopeInfo, ...] = (
    ScopeInfo(
        "openid",
        _l("Sign you in"),
        _l("A private identifier of your account, which is never your ID number."),
        ("sub",),
    ),
    ScopeInfo(
        "profile",
        _l("Your name and date of birth"),
        _l("Your first and family names in Arabic and English, and your date of birth."),
        ("name", "given_name", "family_name", "name#ar", "given_name#ar", "family_name#ar", "birthdate", "updated_at"),
    ),
    ScopeInfo(
        "email",
        _l("Your email address"),
        _l("The email address on your account, and whether it has been confirmed."),
        ("email", "email_verified"),
    ),
    ScopeInfo(
        "phone",
        _l("Your mobile number"),
        _l("The mobile number on your account, which was confirmed with a one-time code."),
        ("phone_number", "phone_number_verified"),
    ),
    ScopeInfo(
        "national_id",
        _l("Your national ID or iqama number"),
        _l("Your ID number and whether it is a national ID or an iqama."),
        ("national_id", "national_id_type"),
    ),
    ScopeInfo(
        "applications",
        _l("Read and send your applications"),
        _l("Your drafts and applications to the portal's services, and sending new applications in your name."),
        (),
    ),
)
SCOPE_NAMES: tuple[str, ...] = tuple(scope.name for scope in SCOPES)
DEFAULT_CLIENT_SCOPES: tuple[str, ...] = ("openid", "profile", "email", "phone")
"""Scopes a client gets when registered without ``--scope``; ``national_id`` must be asked for."""

ID_TOKEN_CLAIMS: tuple[str, ...] = (
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "at_hash",
    "sid",
)
CLAIMS_SUPPORTED: tuple[str, ...] = tuple(
    dict.fromkeys([*ID_TOKEN_CLAIMS, *(claim for scope in SCOPES for claim in scope.claims)])
)

ACR_PASSWORD = "urn:bawaba:loa:1"
"""Signed in with something the person knows only."""
ACR_PASSWORD_AND_CODE = "urn:bawaba:loa:2"
"""Signed in with a password and a one-time code sent to the registered mobile or email."""
ACR_VALUES: tuple[str, ...] = (ACR_PASSWORD, ACR_PASSWORD_AND_CODE)


def scope_info(name: str) -> ScopeInfo | None:
    return next((scope for scope in SCOPES if scope.name == name), None)


def requested_scopes(scope: str | None) -> list[str]:
    """The scope string as a list in the portal's order, without repeats."""
    wanted = set((scope or "").split())
    return [name for name in SCOPE_NAMES if name in wanted]


def acr_for(amr: Iterable[str]) -> str:
    """The assurance level that the authentication methods reached."""
    methods = set(amr)
    if "pwd" in methods and methods & {"otp", "sms", "mfa"}:
        return ACR_PASSWORD_AND_CODE
    return ACR_PASSWORD
