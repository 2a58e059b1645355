"""Random codes, tokens and client secrets, and the hashes that are all the database keeps.

They are 256-bit random values, so a plain SHA-256 is enough to make a stolen
table useless (no dictionary to try) while still allowing a lookup by hash;
a slow password hash would only cost time on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_secret() -> str:
    """A URL-safe random string with 256 bits of entropy."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_client_id() -> str:
    return "bwb_" + secrets.token_urlsafe(18)


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(candidate: str, stored_hash: str) -> bool:
    """Constant-time comparison of ``candidate``'s hash with ``stored_hash``."""
    return hmac.compare_digest(hash_secret(candidate), stored_hash)
