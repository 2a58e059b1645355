"""The documents and bills of an application, from the parts of the host that keep them.

The documents and payments parts are optional to this one (the applications
store works without them, and they build on it), so they are imported only
if present and shown only if their pages are mounted: the application page
never links to a page that does not exist.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from sqlalchemy.orm import Session

from bawaba_sdk.formatting import format_amount
from bawaba_sdk.i18n import LocalText

from .models import Application
from .service import program_named


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str | None


@dataclass(frozen=True)
class BillLine:
    number: str
    amount: str
    status: str
    url: str | None


def _part(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _url(endpoint: str, **values: Any) -> str | None:
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def attachments_of(db: Session, application: Application) -> list[Attachment]:
    documents = _part("gateway.documents")
    if documents is None or not hasattr(documents, "documents_of_application"):
        return []
    return [
        Attachment(name=document.original_name, url=_url("documents.download", public_id=document.public_id))
        for document in documents.documents_of_application(db, application.id)
    ]


def file_names_of(db: Session, application: Application) -> dict[str, str]:
    """Document id -> the file's name, so a file answer reads as the file the person chose."""
    documents = _part("gateway.documents")
    if documents is None or not hasattr(documents, "documents_of_application"):
        return {}
    return {
        document.public_id: document.original_name
        for document in documents.documents_of_application(db, application.id)
    }


def bills_of(db: Session, application: Application) -> list[BillLine]:
    payments = _part("gateway.payments.service")
    if payments is None or not hasattr(payments, "bills_of_application"):
        return []
    return [
        BillLine(
            number=bill.bill_number,
            amount=format_amount(bill.amount, bill.currency),
            status=bill.status,
            url=_url("payments.bill_page", bill_number=bill.bill_number),
        )
        for bill in payments.bills_of_application(db, application.id)
    ]


@dataclass(frozen=True)
class DraftLine:
    program_name: LocalText
    service_name: LocalText
    updated_at: datetime
    url: str | None


def drafts_of(db: Session, person_id: int) -> list[DraftLine]:
    """The person's unsent applications, kept by the forms engine, with a link to continue each."""
    drafts = _part("gateway.forms.drafts")
    if drafts is None or not hasattr(drafts, "drafts_of"):
        return []
    lines = []
    for draft in drafts.drafts_of(db, person_id):
        program = program_named(draft.program)
        service = program.service(draft.service) if program is not None else None
        lines.append(
            DraftLine(
                program_name=program.name if program is not None else draft.program,
                service_name=service.name if service is not None else draft.service,
                updated_at=draft.updated_at,
                url=_url("forms.start", program=draft.program, service=draft.service) if service is not None else None,
            )
        )
    return lines
