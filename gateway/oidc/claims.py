"""The claims about a person that each granted scope releases.

``sub`` is what the client knows the person by (their opaque ``subject``, or
a pairwise identifier for the client's sector), never the ID number; the ID number
goes out only under the ``national_id`` scope. Arabic names use the OpenID
Connect language tags (``given_name#ar``), so an app can show either script.
"""

from __future__ import annotations

from typing import Any

from ..identity.models import Person
from .clock import as_utc


def user_claims(person: Person, scope: str, subject: str) -> dict[str, Any]:
    """Userinfo claims for ``person`` under the space-separated ``scope``; ``subject`` is the client's ``sub``."""
    granted = set(scope.split())
    claims: dict[str, Any] = {"sub": subject}
    if "profile" in granted:
        claims.update(
            name=f"{person.first_name_en} {person.family_name_en}".strip(),
            given_name=person.first_name_en,
            family_name=person.family_name_en,
            birthdate=person.birth_date.isoformat(),
        )
        claims["name#ar"] = f"{person.first_name_ar} {person.family_name_ar}".strip()
        claims["given_name#ar"] = person.first_name_ar
        claims["family_name#ar"] = person.family_name_ar
        if person.updated_at is not None:
            claims["updated_at"] = int(as_utc(person.updated_at).timestamp())
    if "email" in granted and person.email:
        claims["email"] = person.email
        claims["email_verified"] = bool(person.account is not None and person.account.email_verified)
    if "phone" in granted and person.mobile:
        claims["phone_number"] = person.mobile
        # The registry's mobile is proven by a one-time code at registration, and a new one on change.
        claims["phone_number_verified"] = True
    if "national_id" in granted:
        claims["national_id"] = person.id_number
        claims["national_id_type"] = person.id_type
    return claims
