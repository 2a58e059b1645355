"""Redirect targets that never leave the portal.

A ``next`` parameter is attacker-controlled; only a path on this site is
followed, never a scheme, a host or a protocol-relative ``//host`` address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next_url(candidate: str | None, fallback_endpoint: str = "home.index") -> str:
    """``candidate`` when it is a local path, else the URL of ``fallback_endpoint``."""
    if candidate and is_local_path(candidate):
        return candidate
    return url_for(fallback_endpoint)


def is_local_path(candidate: str) -> bool:
    if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return False
    if any(ord(character) < 32 for character in candidate):
        return False
    parts = urlsplit(candidate)
    return not parts.scheme and not parts.netloc
