"""The key that one-time codes are hashed under, and the hash itself.

A 6-digit code has only a million values, so a plain hash would be reversed
by trying them all in a second. The hash is therefore keyed: HMAC-SHA256
under a key that never touches the database, so a leaked copy of the table
reveals nothing without the app's secret key as well.

The key is derived from ``SECRET_KEY`` with HKDF-SHA256 (RFC 5869: empty
salt, info ``"bawaba otp v1"``, 32 bytes) rather than used directly, so the
value that signs session cookies is never reused as-is for another job, and a
future change of scheme only needs a new label (``v2``). Changing
``SECRET_KEY`` makes every live code fail, which is harmless: codes live
minutes.

What is hashed is the purpose, the flow id and the code, joined with a
newline: even someone able to edit the table could not move a code's hash to
another flow or purpose and have it accepted there.
"""

from __future__ import annotations

import hashlib
import hmac

OTP_KEY_LABEL = b"bawaba otp v1"
"""HKDF ``info``: names what the derived key is for, and which version of the scheme."""

KEY_LENGTH = 32


def hkdf_sha256(secret: bytes, *, info: bytes, salt: bytes = b"", length: int = KEY_LENGTH) -> bytes:
    """HKDF-SHA256 (RFC 5869), extract then expand, from the standard library alone."""
    if not 0 < length <= 255 * hashlib.sha256().digest_size:
        raise ValueError("HKDF-SHA256 can produce 1 to 8160 bytes")
    pseudo_random_key = hmac.new(salt or bytes(hashlib.sha256().digest_size), secret, hashlib.sha256).digest()
    output = b""
    block = b""
    counter = 1
    while len(output) < length:
        block = hmac.new(pseudo_random_key, block + info + bytes([counter]), hashlib.sha256).digest()
        output += block
        counter += 1
    return output[:length]


def derive_otp_key(secret_key: str | bytes) -> bytes:
    """The 32-byte HMAC key for one-time codes, derived from the app's ``SECRET_KEY``."""
    secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    if not secret:
        raise ValueError("a secret key is needed to hash one-time codes")
    return hkdf_sha256(secret, info=OTP_KEY_LABEL)


def hash_code(key: bytes, *, purpose: str, flow_id: str, code: str) -> str:
    """Hex HMAC-SHA256 of ``purpose``, ``flow_id`` and ``code`` (64 characters)."""
    for name, value in (("purpose", purpose), ("flow_id", flow_id), ("code", code)):
        if "\n" in value:
            raise ValueError(f"{name} must not contain a newline")
    message = "\n".join((purpose, flow_id, code)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
