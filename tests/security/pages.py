"""Reading pages as an attacker compares them: the same page, whatever varies from one request to the next.

Two answers that differ only by the request id, a CSRF token or the very
value the visitor typed tell the visitor nothing; any other difference can
(an account exists, an application is there but not theirs), so tests
compare pages after :func:`comparable`.
"""

from __future__ import annotations

import re
from typing import Any

from gateway.applications.references import ALPHABET
from gateway.payments.numbers import luhn_check_digit

REQUEST_ID = re.compile(r"(Reference for support|مرجع للدعم)[^<]*")
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')
NONCE = re.compile(r'nonce="[^"]*"')


def comparable(response: Any, *typed: str) -> tuple[int, str]:
    """The status and the page with request ids, CSRF tokens, nonces and ``typed`` values blanked."""
    body = str(response.get_data(as_text=True))
    body = REQUEST_ID.sub("", body)
    body = CSRF_VALUE.sub(r"\1\2", body)
    body = NONCE.sub('nonce=""', body)
    for value in typed:
        if value:
            body = body.replace(value, "«typed»")
    return response.status_code, body


def unknown_reference(reference: str) -> str:
    """A reference of the same prefix and shape that was never issued (its code reversed through the alphabet)."""
    prefix, _, code = reference.rpartition("-")
    flipped = "".join(ALPHABET[len(ALPHABET) - 1 - ALPHABET.index(char)] for char in code)
    return f"{prefix}-{flipped}"


def unknown_public_id(public_id: str) -> str:
    """A document id of the same length and alphabet that was never issued."""
    return "".join("Z" if char != "Z" else "Y" for char in public_id)


def unknown_bill_number(number: str) -> str:
    """A valid (Luhn-checked) bill number that is not ``number``."""
    payload = f"{(int(number[:-1]) + 1) % 10**11:011d}"
    return payload + luhn_check_digit(payload)
