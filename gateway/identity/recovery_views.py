"""Forgotten password: a code to the registered mobile, then a new password.

Until the code is entered the page says the same thing whether or not the ID
number has an account ("if an account exists, a code was sent"), and every
wrong code gets one message, so recovery cannot be used to find accounts.
A new password ends every session of the person and they are told by SMS.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from bawaba_sdk.digits import clean_digits

from ..audit.log import AuditEvents, record
from ..messaging.dispatch import dispatch_after_response
from ..oidc.storage import revoke_tokens
from ..otp.service import VerifyResult
from ..ratelimit import limit
from ..sessions import end_all_sessions
from . import devices
from .blueprint import account_blueprint
from .codes import check_code, end_flow, get_flow, send_code, start_flow, update_flow
from .forms import FormErrors, code_value, text
from .helpers import check_new_password, enter_code, hashing, host, notify, render_code_page, well_formed_code
from .models import Account
from .people import context_words, find_account
from .throttle import account_key

FLOW = "recovery"
PURPOSE = "password_reset"
ANY_WRONG_CODE = _l("The code is not correct or has expired. Check the message, or start again to get a new code.")


@account_blueprint.route("/recover", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_REGISTRATION", methods=["POST"])
def recover() -> ResponseReturnValue:
    errors = FormErrors()
    typed = text("id_number", 20)
    if request.method == "GET":
        return render_template("account/recover.html", errors=errors, id_number="")
    id_number = clean_digits(typed)
    if not (id_number.isdigit() and len(id_number) == 10):
        errors.add("id_number", _l("Enter your 10-digit national ID or iqama number."))
        return render_template("account/recover.html", errors=errors, id_number=typed), 400
    db = host().db_session()
    account = find_account(db, id_number)
    flow = start_flow(FLOW, person_id=account.person_id if account else None, verified=False)
    # The same Argon2id work and a written audit event whether or not the ID has an account, so the answer
    # takes as long either way; the code (a few more rows) is handed to the worker only after the answer has
    # gone out, so neither the hand-off nor a real SMS provider's latency shows in it (decision 0009).
    hashing().waste_time_like_a_verify(id_number)
    record(
        db,
        AuditEvents.RECOVERY_REQUESTED,
        person_id=account.person_id if account else None,
        known_account=account is not None,
        id_suffix=id_number[-4:],
    )
    queued = None
    if account is not None:
        queued = send_code(
            db,
            flow=flow,
            purpose=PURPOSE,
            subject_key=f"person:{account.person_id}",
            channel="sms",
            destination=account.person.mobile,
            person_id=account.person_id,
            dispatch=False,
        ).message_id
    db.commit()
    response = redirect(url_for("account.recover_code"), code=303)
    if queued is not None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        dispatch_after_response(response, app, queued, "sms")
    return response


def _code_page(errors: FormErrors, status: int = 200) -> tuple[str, int]:
    return render_code_page(
        title=_l("Enter the code sent to your mobile"),
        intro=_l(
            "If this ID number has an account, we have sent a 6-digit code by SMS to the mobile number "
            "registered for it. The code is valid for 5 minutes."
        ),
        action=url_for("account.recover_code"),
        resend_action=url_for("account.recover"),
        errors=errors,
        status=status,
    )


@account_blueprint.route("/recover/code", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_CODES", methods=["POST"])
def recover_code() -> ResponseReturnValue:
    flow = get_flow(FLOW)
    if flow is None:
        return redirect(url_for("account.recover"), code=303)
    errors = FormErrors()
    if request.method == "GET":
        return _code_page(errors)
    code = code_value()
    if not well_formed_code(code):
        errors.add("code", enter_code())
        return _code_page(errors, 400)
    db = host().db_session()
    result = check_code(db, flow=flow, purpose=PURPOSE, code=code, person_id=flow.get("person_id"))
    db.commit()
    if result is not VerifyResult.OK or flow.get("person_id") is None:
        errors.add("code", ANY_WRONG_CODE)
        return _code_page(errors, 400)
    update_flow(FLOW, verified=True)
    return redirect(url_for("account.recover_password"), code=303)


@account_blueprint.route("/recover/password", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_REGISTRATION", methods=["POST"])
def recover_password() -> ResponseReturnValue:
    flow = get_flow(FLOW)
    db = host().db_session()
    account = None
    if flow is not None and flow.get("verified") and flow.get("person_id"):
        account = db.query(Account).filter(Account.person_id == flow["person_id"]).first()
    if account is None:
        return redirect(url_for("account.recover"), code=303)
    errors = FormErrors()
    if request.method == "GET":
        return render_template(
            "account/new_password.html",
            errors=errors,
            current_required=False,
            action=url_for("account.recover_password"),
        )
    password = request.form.get("password", "")
    if not check_new_password(
        errors, password, request.form.get("password_confirmation", ""), context_words(account.person, account.username)
    ):
        return render_template(
            "account/new_password.html",
            errors=errors,
            current_required=False,
            action=url_for("account.recover_password"),
        ), 400
    account.password_hash = hashing().hash(password)
    account.password_changed_at = datetime.now(UTC)
    notify_password_changed(db, account)
    revoke_tokens(db, person_id=account.person_id, actor=f"person:{account.person_id}", reason="password_reset")
    record(db, AuditEvents.PASSWORD_RESET, person_id=account.person_id)
    db.commit()
    end_all_sessions(account.person_id)
    end_flow(FLOW)
    flash(str(_l("Your password has been changed. Sign in with your new password.")), "success")
    response = redirect(url_for("account.sign_in_page"), code=303)
    # The code proved this browser's holder has the mobile, as a sign-in would: its sign-ins are
    # throttled apart from the account's, so someone locked out by an attacker gets back in here.
    devices.remember_device(request, response, devices.CITIZEN_COOKIE, account_key(account.id))
    return response


def notify_password_changed(db: Session, account: Account) -> None:
    """Tell the person by SMS, so a change they did not make does not go unnoticed."""
    body = str(_l("Your Bawaba password was changed. If this was not you, reset your password now or call support."))
    notify(db, channel="sms", recipient=account.person.mobile, body=body, person_id=account.person_id)
