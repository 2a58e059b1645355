"""Staff sign-in (username, password, then a code by SMS) and sign-out.

Staff sign in separately from citizens: the session holds ``staff_id``, never
``person_id``, and is given a new identifier at sign-in. Every failure —
unknown username, wrong password, a deactivated account, a throttled or
locked one — gets the same message and costs the same Argon2id work, so the
page cannot be used to find out which staff usernames exist.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from bawaba_sdk.validators.phone import mask_mobile

from ..audit.log import AuditEvents, record
from ..identity import devices, throttle
from ..identity.codes import check_code, code_delayed, end_flow, get_flow, send_code, start_flow, update_flow
from ..identity.forms import FormErrors, code_value
from ..identity.helpers import (
    DELAYED,
    code_error,
    codes_exhausted,
    enter_code,
    refused_message,
    render_code_page,
    setting,
    too_many_codes,
)
from ..identity.spraying import tried_digest, watch_for_spraying
from ..otp.service import CodeRefused, VerifyResult
from ..ratelimit import limit
from ..redirects import is_local_path, safe_next_url
from ..sessions import end_session, rotate_session
from .access import STAFF_KEY, current_staff, db
from .blueprint import backoffice_blueprint
from .models import StaffAccount
from .staff import hashing, staff_by_username

FLOW = "staff_sign_in"
PURPOSE = "staff_sign_in"
MAX_USERNAME_LENGTH = 64
SIGN_IN_FAILED = _l(
    "We could not sign you in with these details. Check your username and password. "
    "After several failed attempts, signing in is paused for a while."
)


def staff_key(staff_id: int) -> str:
    """The throttle key of one staff account (kept apart from citizens' ``account:<id>``)."""
    return f"staff:{staff_id}"


def _policy() -> throttle.ThrottlePolicy:
    return throttle.ThrottlePolicy(
        free=setting("SIGNIN_FREE_FAILURES"),
        lock_after=setting("SIGNIN_LOCK_AFTER"),
        lock_minutes=setting("SIGNIN_LOCK_MINUTES"),
        address_lock_after=setting("SIGNIN_ADDRESS_LOCK_AFTER"),
    )


@backoffice_blueprint.route("/sign-in", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_SIGNIN", methods=["POST"])
def sign_in() -> ResponseReturnValue:
    next_path = request.values.get("next", "")
    next_path = next_path if is_local_path(next_path) and next_path.startswith("/backoffice/") else ""
    errors = FormErrors()
    if request.method == "GET":
        if current_staff() is not None:
            return redirect(safe_next_url(next_path, "backoffice.home"), code=303)
        return render_template("backoffice/sign_in.html", errors=errors, username="", next=next_path)
    username = request.form.get("username", "").strip()[:MAX_USERNAME_LENGTH]
    password = request.form.get("password", "")
    if not username:
        errors.add("username", _l("Enter your username."))
    if not password:
        errors.add("password", _l("Enter your password."))
    if errors:
        return render_template("backoffice/sign_in.html", errors=errors, username=username, next=next_path), 400
    staff = _check_password(username, password)
    if staff is None:
        errors.add("username", SIGN_IN_FAILED)
        return render_template("backoffice/sign_in.html", errors=errors, username=username, next=next_path), 401
    flow = start_flow(FLOW, staff_id=staff.id, next=next_path)
    return _send_and_continue(flow, staff)


def _check_password(username: str, password: str) -> StaffAccount | None:
    """The account if the password is right and nothing blocks it; records the failure otherwise.

    As for citizens, a browser that completed a staff sign-in before is
    throttled under its device, so failures sent with a known username by
    anyone else never lock its owner out (decision 0021).
    """
    session_db = db()
    now = datetime.now(UTC)
    policy = _policy()
    staff = staff_by_username(session_db, username)
    usable = staff is not None and staff.active
    too_long = len(password) > setting("PASSWORD_MAX_LENGTH")
    attempt = throttle.Attempt(address=throttle.address_key(request.remote_addr))
    if staff is not None:
        subject = staff_key(staff.id)
        device = devices.known_device_key(request, devices.STAFF_COOKIE, subject)
        attempt = throttle.Attempt(address=attempt.address, account=subject, device=device)
    blocked = throttle.attempt_blocked_until(session_db, attempt, policy, now)
    if staff is None or not usable or blocked or too_long:
        if not too_long:
            hashing().waste_time_like_a_verify(password)
        correct = False
    else:
        correct = hashing().verify(staff.password_hash, password)
    if correct and staff is not None:
        throttle.clear_attempt(session_db, attempt)
        if hashing().needs_rehash(staff.password_hash):
            staff.password_hash = hashing().hash(password)
        session_db.commit()
        return staff
    locked = throttle.record_attempt_failure(session_db, attempt, policy, now)
    tried = tried_digest("staff", username.casefold())
    watch_for_spraying(session_db, address=request.remote_addr, tried=tried, now=now)
    record(
        session_db,
        AuditEvents.STAFF_SIGN_IN_FAILED,
        tried=tried,
        actor=f"staff:{staff.id}" if staff is not None else "anonymous",
        known_account=staff is not None,
        known_device=attempt.device is not None,
        throttled=bool(blocked),
        locked=locked,
    )
    session_db.commit()
    return None


def _send_and_continue(flow: dict[str, object], staff: StaffAccount) -> ResponseReturnValue:
    """Send a code, then the code page; past the hourly or daily cap a 429 with Retry-After, as for citizens."""
    refused = _send(flow, staff)
    if refused is not None and codes_exhausted(refused):
        return too_many_codes(refused, url_for("backoffice.sign_in_code"))
    return redirect(url_for("backoffice.sign_in_code"), code=303)


def _send(flow: dict[str, object], staff: StaffAccount) -> CodeRefused | None:
    session_db = db()
    outcome = send_code(
        session_db,
        flow=flow,
        purpose=PURPOSE,
        subject_key=staff_key(staff.id),
        channel="sms",
        destination=staff.mobile,
        person_id=None,
    )
    session_db.commit()
    update_flow(
        FLOW,
        message_id=outcome.message_id or flow.get("message_id"),
        refused=refused_message(outcome.refused) if outcome.refused else None,
    )
    return outcome.refused


def _flow_staff() -> tuple[dict[str, object] | None, StaffAccount | None]:
    flow = get_flow(FLOW)
    if flow is None or not isinstance(flow.get("staff_id"), int):
        return None, None
    staff = db().get(StaffAccount, flow["staff_id"])
    return flow, staff if staff is not None and staff.active else None


@backoffice_blueprint.route("/sign-in/code", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_CODES", methods=["POST"])
def sign_in_code() -> ResponseReturnValue:
    flow, staff = _flow_staff()
    if flow is None or staff is None:
        return redirect(url_for("backoffice.sign_in"), code=303)
    errors = FormErrors()
    page = {
        "title": _l("Enter your sign-in code"),
        "intro": _l("We sent a 6-digit code by SMS to %(mobile)s.", mobile=mask_mobile(staff.mobile)),
        "action": url_for("backoffice.sign_in_code"),
        "resend_action": url_for("backoffice.sign_in_resend"),
    }
    if request.method == "GET":
        refused = flow.get("refused")
        notice = str(refused) if refused else (str(DELAYED) if code_delayed(flow) else None)
        return render_code_page(errors=errors, notice=notice, **page)
    code = code_value()
    if not (code.isdigit() and len(code) == setting("OTP_LENGTH")):
        errors.add("code", enter_code())
        return render_code_page(errors=errors, status=400, **page)
    session_db = db()
    result = check_code(session_db, flow=flow, purpose=PURPOSE, code=code, person_id=None)
    if result is not VerifyResult.OK:
        record(session_db, "backoffice.code_failed", actor=f"staff:{staff.id}", result=str(result.name))
        session_db.commit()
        errors.add("code", code_error(result))
        return render_code_page(errors=errors, status=400, **page)
    staff.last_sign_in_at = datetime.now(UTC)
    record(session_db, "backoffice.signed_in", actor=f"staff:{staff.id}")
    session_db.commit()
    next_path = str(flow.get("next") or "")
    end_flow(FLOW)
    session.clear()
    rotate_session()
    session[STAFF_KEY] = staff.id
    response = redirect(safe_next_url(next_path, "backoffice.home"), code=303)
    devices.remember_device(request, response, devices.STAFF_COOKIE, staff_key(staff.id))
    return response


@backoffice_blueprint.post("/sign-in/resend")
@limit("GATEWAY_RATE_LIMIT_CODES")
def sign_in_resend() -> ResponseReturnValue:
    flow, staff = _flow_staff()
    if flow is None or staff is None:
        return redirect(url_for("backoffice.sign_in"), code=303)
    return _send_and_continue(flow, staff)


@backoffice_blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    staff = current_staff()
    if staff is not None:
        session_db = db()
        record(session_db, "backoffice.signed_out", actor=f"staff:{staff.id}")
        session_db.commit()
    end_session()
    return redirect(url_for("backoffice.sign_in"), code=303)
