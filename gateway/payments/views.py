"""The citizen's bill page, the sandbox "pay now" button, and the providers' callback.

The callback is the one door through which money is declared received, so
it trusts nothing it has not verified: the HMAC-SHA256 of the *raw* body,
compared in constant time, before the JSON is even parsed. Without a shared
secret configured it refuses everything (503) rather than accept unsigned
notices. It answers machines in JSON with a status a provider can act on:
401 (signature), 400 (body), 404 (bill), 409 (refused), 200 (recorded or
already recorded — so a provider's retry stops).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bawaba_sdk.validators import format_sar

from ..audit.denials import deny
from ..identity.current import current_person_record
from ..identity.profile_views import signed_in
from ..messaging.models import utc_now
from .adapter import SANDBOX, InvalidCallback, PaymentAdapter
from .models import CANCELLED, EXPIRED, PAID, UNPAID, Bill
from .numbers import is_valid_bill_number
from .service import BillNotPayable, PaymentMismatch, bill_by_number, bill_of, mark_paid

logger = logging.getLogger("gateway.payments")

EXTENSION_KEY = "gateway.payments"
SECRET_KEY = "GATEWAY_PAYMENT_CALLBACK_SECRET"
SIGNATURE_HEADER = "X-Bawaba-Signature"
SIGNATURE_PREFIX = "sha256="
MAX_CALLBACK_BYTES = 64 * 1024
"""A payment notice is a few hundred bytes; anything bigger is not one."""

payments_blueprint = Blueprint("payments", __name__, url_prefix="/payments")

STATUS_LABELS = {
    UNPAID: _l("Waiting for payment"),
    PAID: _l("Paid"),
    EXPIRED: _l("Expired"),
    CANCELLED: _l("Cancelled"),
}


def payment_adapter() -> PaymentAdapter:
    adapter: PaymentAdapter = current_app.extensions[EXTENSION_KEY]
    return adapter


def sandbox_payments_allowed() -> bool:
    """The sandbox button exists only with the sandbox adapter and never in production."""
    return payment_adapter().name == SANDBOX and current_app.config.get("GATEWAY_ENV") != "production"


def _db() -> Session:
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def _own_bill_or_404(bill_number: str) -> Bill:
    person = current_person_record()
    if person is None or not is_valid_bill_number(bill_number):
        abort(404)
    bill = bill_of(_db(), person.id, bill_number)
    if bill is None:
        if bill_by_number(_db(), bill_number) is not None:  # someone else's bill looks exactly like no bill
            deny("bill", bill_number, reason="another_persons", person_id=person.id)
        abort(404)
    return bill


@payments_blueprint.get("/bills/<bill_number>")
@signed_in
def bill_page(bill_number: str) -> ResponseReturnValue:
    bill = _own_bill_or_404(bill_number)
    status = bill.effective_status(utc_now())
    response = Response(
        render_template(
            "payments/bill.html",
            bill=bill,
            status=status,
            status_label=STATUS_LABELS.get(status, status),
            amount=format_sar(bill.amount, str(get_locale() or "ar")),
            instructions=payment_adapter().payment_instructions(bill) if status == UNPAID else None,
            application_reference=_application_reference(bill.application_id),
            sandbox=sandbox_payments_allowed() and status == UNPAID,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@payments_blueprint.post("/bills/<bill_number>/sandbox-pay")
@signed_in
def sandbox_pay(bill_number: str) -> ResponseReturnValue:
    """The sandbox's "Pay now": marks the person's own bill paid, outside production only."""
    if not sandbox_payments_allowed():
        abort(404)
    bill = _own_bill_or_404(bill_number)
    db = _db()
    try:
        paid = mark_paid(db, bill, source=SANDBOX)
    except BillNotPayable:
        db.commit()  # keep the bill's expired status
        flash(_l("This bill can no longer be paid."), "warning")
        return redirect(url_for("payments.bill_page", bill_number=bill_number), code=303)
    db.commit()
    flash(_l("Payment received. Thank you.") if paid else _l("This bill was already paid."))
    return redirect(url_for("payments.bill_page", bill_number=bill_number), code=303)


@payments_blueprint.post("/callback/<adapter_name>")
def callback(adapter_name: str) -> ResponseReturnValue:
    adapter = payment_adapter()
    if adapter_name != adapter.name:
        return _json_error(404, "unknown_adapter", "no payment adapter of that name is configured")
    secret = current_app.config.get(SECRET_KEY)
    if not secret:
        logger.error("payment callback refused: %s is not set, so no callback can be verified", SECRET_KEY)
        return _json_error(503, "not_configured", "payment callbacks are not configured")
    if (request.content_length or 0) > MAX_CALLBACK_BYTES:
        return _json_error(413, "too_large", "the body is too large")
    raw_body = request.get_data(cache=False)
    if len(raw_body) > MAX_CALLBACK_BYTES:
        return _json_error(413, "too_large", "the body is too large")
    if not signature_matches(str(secret), raw_body, request.headers.get(SIGNATURE_HEADER)):
        logger.warning("payment callback with a missing or wrong signature for adapter %s", adapter_name)
        return _json_error(401, "bad_signature", f"missing or wrong {SIGNATURE_HEADER}")
    try:
        result = adapter.parse_callback(dict(request.headers), raw_body)
    except InvalidCallback as exc:
        return _json_error(400, "invalid_body", str(exc))
    db = _db()
    bill = bill_by_number(db, result.bill_number)
    if bill is None:
        return _json_error(404, "unknown_bill", "no bill has this number")
    source = f"provider:{adapter.name}"
    try:
        recorded = mark_paid(
            db,
            bill,
            source=source,
            provider_reference=result.provider_reference,
            amount=result.amount,
            paid_at=result.paid_at,
        )
        db.commit()
    except PaymentMismatch as exc:
        db.rollback()
        return _json_error(409, "mismatch", str(exc))
    except BillNotPayable as exc:
        db.commit()  # keep the expired status
        return _json_error(409, "not_payable", str(exc))
    except IntegrityError:
        # The same notice raced us (two deliveries at once): the other one recorded it.
        db.rollback()
        if _recorded_with(db, result.bill_number, result.provider_reference):
            return jsonify(status="already_paid", bill_number=result.bill_number)
        raise
    return jsonify(status="paid" if recorded else "already_paid", bill_number=bill.bill_number)


def signature_of(secret: str, raw_body: bytes) -> str:
    """The header value a sender puts in ``X-Bawaba-Signature``: ``sha256=<hex HMAC-SHA256>``."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, raw_body: bytes, header: str | None) -> bool:
    """Constant-time comparison, so response timing reveals nothing about the right signature."""
    if not header:
        return False
    expected = signature_of(secret, raw_body).encode("ascii")
    return hmac.compare_digest(expected, header.strip().encode("utf-8", "replace"))


def _recorded_with(db: Session, bill_number: str, reference: str) -> bool:
    bill = db.scalars(select(Bill).where(Bill.bill_number == bill_number)).first()
    return bill is not None and bill.status == PAID and bill.provider_reference == reference


def _json_error(status: int, name: str, message: str) -> Response:
    response = jsonify(error={"code": status, "name": name, "message": message})
    response.status_code = status
    return response


def _application_reference(application_id: int) -> Any:
    """The application's reference number, read from the shared table (no import of the applications part)."""
    from ..database import Base

    table = Base.metadata.tables.get("applications")
    if table is None or "reference" not in table.c:
        return None
    return _db().execute(select(table.c.reference).where(table.c.id == application_id)).scalar()
