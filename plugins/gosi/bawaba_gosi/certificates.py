"""Contributor certificates (شهادة مشترك): issued as a PDF with a verification code, checked publicly.

What the certificate says is frozen when it is issued (the record may
change later) and the public page shows exactly that, to whoever has both
the code and the ID number; a wrong code and a wrong ID get the same answer,
so the page tells nobody which certificates exist.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

import bawaba_sdk as sdk

from .db import Certificate
from .records import Contributor

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""No 0/O, 1/I/L or U: a code read aloud or typed from paper is not mistaken."""
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person types from the paper: spaces, dashes and lower case are fine."""
    return "".join(char for char in sdk.normalize_digits(typed).upper() if char.isalnum())


def issue(person: sdk.PersonView, contributor: Contributor, facts: dict[str, Any]) -> Certificate:
    """Freeze what the certificate says and give it a code."""
    current = [
        {"employer": item.employer, "establishment_number": item.establishment_number, "start": item.start.isoformat()}
        for item in contributor.current_registrations
    ]
    content = {
        "name_en": person.full_name("en"),
        "name_ar": person.full_name("ar"),
        "regime": facts["regime"],
        "months": facts["months"],
        "coverage": contributor.coverage,
        "current_employers": current,
    }
    db = sdk.db_session()
    row = Certificate(
        code=new_code(),
        person_id=person.id,
        id_number=person.id_number,
        issued_at=datetime.now(UTC),
        content=content,
    )
    db.add(row)
    db.commit()
    return row


def own_certificate(person: sdk.PersonView, code: str) -> Certificate | None:
    found: Certificate | None = (
        sdk.db_session()
        .scalars(select(Certificate).where(Certificate.code == code, Certificate.person_id == person.id))
        .first()
    )
    return found


def verify(code: str, id_number: str) -> Certificate | None:
    """The certificate with this code issued to this ID number; ``None`` for any mismatch, alike."""
    found: Certificate | None = (
        sdk.db_session().scalars(select(Certificate).where(Certificate.code == normalise_code(code))).first()
    )
    if found is None or not hmac.compare_digest(found.id_number, sdk.normalize_digits(id_number).strip()):
        return None
    return found


# -- the PDF -------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(certificate: Certificate, verify_url: str, title: str, lines: list[str]) -> bytes:
    """A one-page PDF (PDF 1.4, Helvetica) with the certificate's lines and how to verify it.

    Written by hand because it is a page of text: no library to install and keep up to date.
    The text is Latin script (the standard PDF fonts have no Arabic glyphs), so the
    certificate is in English, and the public page shows it in either language.
    """
    body = [f"BT /F1 18 Tf 60 780 Td ({_escape(title)}) Tj ET"]
    y = 740
    for line in [*lines, "", f"Verification code: {certificate.code}", f"Verify at: {verify_url}"]:
        text = line.encode("latin-1", "replace").decode("latin-1")
        body.append(f"BT /F1 11 Tf 60 {y} Td ({_escape(text)}) Tj ET")
        y -= 18
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def certificate_lines(certificate: Certificate) -> list[str]:
    content = certificate.content
    regime = "new Social Insurance Law" if content["regime"] == "new" else "Social Insurance Law"
    issued = certificate.issued_at.date() if isinstance(certificate.issued_at, datetime) else date.today()
    lines = [
        f"Name: {content['name_en']}",
        f"ID number: {certificate.id_number}",
        f"Issued on: {issued.isoformat()}",
        f"Registered with GOSI under the {regime}.",
        f"Contribution months counted: {content['months']}",
    ]
    for employer in content["current_employers"]:
        lines.append(f"Working since {employer['start']} at establishment {employer['establishment_number']}.")
    if not content["current_employers"]:
        lines.append("Not registered with any employer now.")
    return lines
