"""Registering an outside application, with its redirect URIs checked before they are trusted.

Redirect URIs are compared exactly at sign-in time, so they are vetted once,
here: absolute, https (plain http only for a loopback host during
development), no fragment, no wildcard, no credentials in the URL.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from .models import TOKEN_ENDPOINT_AUTH_METHODS, OAuthClient
from .scopes import SCOPE_NAMES
from .secrets import hash_secret, new_client_id, new_secret

MAX_REDIRECT_URI_LENGTH = 2000
MAX_NAME_LENGTH = 200


class ClientRegistrationError(ValueError):
    """The registration is refused; the message says which value and why."""


def register_client(
    session: Session, *, name: str, redirect_uris: list[str], scopes: list[str], auth_method: str
) -> tuple[OAuthClient, str | None]:
    """Add a client (the caller commits); returns it and its secret, ``None`` for a public client."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ClientRegistrationError(f"the name must have 1 to {MAX_NAME_LENGTH} characters")
    if not redirect_uris:
        raise ClientRegistrationError("at least one redirect URI is required")
    for uri in redirect_uris:
        check_redirect_uri(uri)
    unknown = sorted(set(scopes) - set(SCOPE_NAMES))
    if unknown:
        raise ClientRegistrationError(f"unknown scope(s): {', '.join(unknown)}")
    if auth_method not in TOKEN_ENDPOINT_AUTH_METHODS:
        raise ClientRegistrationError(f"unknown token endpoint auth method {auth_method!r}")
    wanted = {"openid", *scopes}
    secret = None if auth_method == "none" else new_secret()
    client = OAuthClient(
        client_id=new_client_id(),
        client_secret_hash=hash_secret(secret) if secret is not None else None,
        name=name,
        redirect_uris=list(dict.fromkeys(redirect_uris)),
        allowed_scopes=[scope for scope in SCOPE_NAMES if scope in wanted],
        token_endpoint_auth_method=auth_method,
        revoked=False,
    )
    session.add(client)
    session.flush()
    return client, secret


def check_redirect_uri(uri: str) -> None:
    """Raise :class:`ClientRegistrationError` unless ``uri`` is safe to redirect people to."""
    if len(uri) > MAX_REDIRECT_URI_LENGTH or any(ord(character) <= 32 for character in uri):
        raise ClientRegistrationError(f"redirect URI {uri!r} is too long or contains spaces or control characters")
    parts = urlsplit(uri)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ClientRegistrationError(f"redirect URI {uri!r} must be an absolute https URL")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ClientRegistrationError(f"redirect URI {uri!r} must use https (http is allowed only for localhost)")
    if parts.fragment or "#" in uri:
        raise ClientRegistrationError(f"redirect URI {uri!r} must not have a fragment")
    if "*" in uri:
        raise ClientRegistrationError(f"redirect URI {uri!r} must not contain a wildcard")
    if parts.username or parts.password:
        raise ClientRegistrationError(f"redirect URI {uri!r} must not contain credentials")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
