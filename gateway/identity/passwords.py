"""Password rules and hashing, after NIST SP 800-63B.

Length is what makes a password strong, so there are no composition rules:
at least 8 characters (a one-time code is always required as well), up to
256 (NIST asks to accept at least 64; long passphrases are welcome), normalised with NFKC
before hashing, so the same password typed on another keyboard
still matches. Passwords that are common, or built from the portal's name or
the person's own ID number, names or username, are refused with the reason.
Hashes are Argon2id; an unknown account is answered after hashing a dummy
password so it takes as long as a wrong one.
"""

from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l

from bawaba_sdk.digits import normalize_digits

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"
PORTAL_NAMES = ("bawaba", "بوابة")
SHORTEST_CONTEXT_WORD = 3
"""Names shorter than this (e.g. 'Al') are too common to refuse inside passwords."""


@dataclass(frozen=True)
class PasswordProblem:
    """Why a password was refused, in words the person can act on."""

    code: str
    message: str


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def normalise_password(password: str) -> str:
    """NFKC, so full-width or composed characters give the same password."""
    return unicodedata.normalize("NFKC", password)


def password_problems(
    password: str, *, minimum: int, maximum: int, context: Iterable[str] = ()
) -> list[PasswordProblem]:
    """Every reason to refuse ``password`` (empty list: acceptable).

    ``context`` holds the person's own ID number, names and username. The
    length limit is checked first, so an oversized password is refused
    without further work and never reaches the hasher.
    """
    if len(password) > maximum:
        return [PasswordProblem("too_long", str(_l("Use at most %(maximum)s characters.", maximum=maximum)))]
    normalised = normalise_password(password)
    problems = []
    if len(normalised) < minimum:
        problems.append(PasswordProblem("too_short", str(_l("Use at least %(minimum)s characters.", minimum=minimum))))
    folded = normalize_digits(normalised).casefold()
    if folded in common_passwords() or folded.strip("0123456789!@#$%^&*.") in common_passwords():
        problems.append(
            PasswordProblem("common", str(_l("This password is too common and easy to guess. Choose another one.")))
        )
    if any(name in folded for name in PORTAL_NAMES):
        problems.append(PasswordProblem("portal_name", str(_l("Do not use the portal's name in your password."))))
    words = [normalize_digits(word).casefold().strip() for word in context if word]
    if any(len(word) >= SHORTEST_CONTEXT_WORD and word in folded for word in words):
        problems.append(
            PasswordProblem(
                "personal", str(_l("Do not use your ID number, your name or your username in your password."))
            )
        )
    return problems


class PasswordHashing:
    """Argon2id hashing with argon2-cffi's defaults (RFC 9106's second recommendation)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy_hash(self) -> str:
        """Made on first use, with the same parameters as real hashes, so verifying it costs the same."""
        return self.hasher.hash("bawaba dummy password for unknown accounts")

    def hash(self, password: str) -> str:
        return self.hasher.hash(normalise_password(password))

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, normalise_password(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)

    def waste_time_like_a_verify(self, password: str) -> None:
        """Hash work equal to a real verify, so an unknown account is not told apart by timing."""
        self.verify(self._dummy_hash, password)
