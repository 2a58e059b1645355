"""One-time codes: issued under throttles, stored as keyed hashes, bound to a purpose and a flow.

``service`` holds the rules, ``keys`` the hashing, ``messages`` the text that
carries a code, ``purposes`` the names and keys a caller passes in, and
``models`` the table. Sending is not done here: the caller puts the text
from :func:`code_message` into the outbox.
"""

from __future__ import annotations

from .messages import code_message, code_subject, webotp_host_from_config
from .purposes import Purpose, id_number_key, new_flow_id, person_key
from .service import (
    EXTENSION_KEY,
    CodeRefused,
    IssuedCode,
    OneTimeCodes,
    OtpPolicy,
    ResendTooSoon,
    TooManyCodes,
    Verification,
    VerifyResult,
    current_codes,
)

__all__ = [
    "EXTENSION_KEY",
    "CodeRefused",
    "IssuedCode",
    "OneTimeCodes",
    "OtpPolicy",
    "Purpose",
    "ResendTooSoon",
    "TooManyCodes",
    "Verification",
    "VerifyResult",
    "code_message",
    "code_subject",
    "current_codes",
    "id_number_key",
    "new_flow_id",
    "person_key",
    "webotp_host_from_config",
]
