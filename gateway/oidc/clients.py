"""Registering an outside application, with its redirect URIs checked before they are trusted.

Redirect URIs are compared exactly at sign-in time, so they are vetted once,
here: absolute, https (plain http only for a loopback host during
development), no fragment, no wildcard, no credentials in the URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from .models import TOKEN_ENDPOINT_AUTH_METHODS, OAuthClient
from .scopes import SCOPE_NAMES
from .secrets import hash_secret, new_client_id, new_secret
from .subjects import PAIRWISE, SUBJECT_TYPES, SectorError, choose_sector, is_loopback_host

MAX_REDIRECT_URI_LENGTH = 2000
MAX_NAME_LENGTH = 200


class ClientRegistrationError(ValueError):
    """The registration is refused; the message says which value and why."""


def register_client(
    session: Session,
    *,
    name: str,
    redirect_uris: list[str],
    scopes: list[str],
    auth_method: str,
    subject_type: str = PAIRWISE,
    sector_identifier: str | None = None,
    post_logout_redirect_uris: list[str] | None = None,
    backchannel_logout_uri: str | None = None,
) -> tuple[OAuthClient, str | None]:
    """Add a client (the caller commits); returns it and its secret, ``None`` for a public client.

    New clients get pairwise subjects unless the operator chooses ``public``
    (see :mod:`gateway.oidc.subjects`); the logout URIs are vetted like
    redirect URIs.
    """
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ClientRegistrationError(f"the name must have 1 to {MAX_NAME_LENGTH} characters")
    if not redirect_uris:
        raise ClientRegistrationError("at least one redirect URI is required")
    for uri in redirect_uris:
        check_redirect_uri(uri)
    for uri in post_logout_redirect_uris or []:
        check_redirect_uri(uri, what="post-logout redirect URI")
    if backchannel_logout_uri is not None:
        check_redirect_uri(backchannel_logout_uri, what="back-channel logout URI")
    unknown = sorted(set(scopes) - set(SCOPE_NAMES))
    if unknown:
        raise ClientRegistrationError(f"unknown scope(s): {', '.join(unknown)}")
    if auth_method not in TOKEN_ENDPOINT_AUTH_METHODS:
        raise ClientRegistrationError(f"unknown token endpoint auth method {auth_method!r}")
    if subject_type not in SUBJECT_TYPES:
        raise ClientRegistrationError(f"the subject type must be one of {', '.join(SUBJECT_TYPES)}")
    client_id = new_client_id()
    sector = None
    if subject_type == PAIRWISE:
        try:
            sector = choose_sector(redirect_uris, sector_identifier, client_id)
        except SectorError as exc:
            raise ClientRegistrationError(str(exc)) from exc
    elif sector_identifier:
        raise ClientRegistrationError("a sector identifier is only for pairwise subjects")
    wanted = {"openid", *scopes}
    secret = None if auth_method == "none" else new_secret()
    client = OAuthClient(
        client_id=client_id,
        client_secret_hash=hash_secret(secret) if secret is not None else None,
        name=name,
        redirect_uris=list(dict.fromkeys(redirect_uris)),
        allowed_scopes=[scope for scope in SCOPE_NAMES if scope in wanted],
        token_endpoint_auth_method=auth_method,
        revoked=False,
        subject_type=subject_type,
        sector_identifier=sector,
        post_logout_redirect_uris=list(dict.fromkeys(post_logout_redirect_uris or [])),
        backchannel_logout_uri=backchannel_logout_uri,
    )
    session.add(client)
    session.flush()
    return client, secret


def check_redirect_uri(uri: str, *, what: str = "redirect URI") -> None:
    """Raise :class:`ClientRegistrationError` unless ``uri`` is safe to redirect people (or send tokens) to."""
    if len(uri) > MAX_REDIRECT_URI_LENGTH or any(ord(character) <= 32 for character in uri):
        raise ClientRegistrationError(f"{what} {uri!r} is too long or contains spaces or control characters")
    parts = urlsplit(uri)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ClientRegistrationError(f"{what} {uri!r} must be an absolute https URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ClientRegistrationError(f"{what} {uri!r} must use https (http is allowed only for localhost)")
    if parts.fragment or "#" in uri:
        raise ClientRegistrationError(f"{what} {uri!r} must not have a fragment")
    if "*" in uri:
        raise ClientRegistrationError(f"{what} {uri!r} must not contain a wildcard")
    if parts.username or parts.password:
        raise ClientRegistrationError(f"{what} {uri!r} must not contain credentials")
