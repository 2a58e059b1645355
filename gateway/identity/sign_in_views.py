"""Sign-in: ID number or username and password, then a one-time code; and sign-out.

Every failure — unknown account, wrong password, a try too soon after the
last one, a locked account — gets the same message, and an unknown account
costs the same Argon2id work as a known one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bawaba_sdk.validators.phone import mask_mobile

from ..audit.log import AuditEvents, record
from ..i18n import UI_LOCALES, honour_ui_locales, use_flow_language
from ..oidc.backchannel import end_app_sessions
from ..oidc.portal_session import portal_session_id
from ..otp.service import VerifyResult
from ..ratelimit import limit
from ..redirects import is_local_path, safe_next_url
from . import devices, throttle
from .blueprint import account_blueprint
from .codes import check_code, code_delayed, end_flow, get_flow, send_code, start_flow, update_flow
from .current import current_person_record, sign_in, sign_out
from .forms import FormErrors, code_value, identifier, text
from .helpers import (
    DELAYED,
    code_error,
    codes_exhausted,
    enter_code,
    hashing,
    host,
    refused_message,
    render_code_page,
    setting,
    too_many_codes,
    well_formed_code,
)
from .models import Account, Person
from .people import find_account
from .spraying import tried_digest, watch_for_spraying

FLOW = "sign_in"
PURPOSE = "sign_in"
SIGN_IN_FAILED = _l(
    "We could not sign you in with these details. Check your ID number or username and your password. "
    "After several failed attempts, signing in is paused for a while."
)


def _policy() -> throttle.ThrottlePolicy:
    return throttle.ThrottlePolicy(
        free=setting("SIGNIN_FREE_FAILURES"),
        lock_after=setting("SIGNIN_LOCK_AFTER"),
        lock_minutes=setting("SIGNIN_LOCK_MINUTES"),
        address_lock_after=setting("SIGNIN_ADDRESS_LOCK_AFTER"),
    )


@account_blueprint.route("/sign-in", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_SIGNIN", methods=["POST"])
def sign_in_page() -> ResponseReturnValue:
    # An app may ask for the language of its sign-in (OpenID Connect ui_locales): this flow's pages use it.
    if request.method == "GET":
        honour_ui_locales(request.args.get(UI_LOCALES), remember=True)
    else:
        use_flow_language()
    next_path = request.values.get("next", "")
    next_path = next_path if is_local_path(next_path) else ""
    errors = FormErrors()
    typed = text("identifier", 64)
    if request.method == "GET":
        # ``fresh``: an OpenID Connect client asked for a new sign-in (prompt=login, max_age), so the
        # form is shown even to someone signed in; signing in again replaces their session.
        if current_person_record() is not None and request.args.get("fresh") != "1":
            return redirect(safe_next_url(next_path, "account.profile"), code=303)
        return render_template("account/sign_in.html", errors=errors, identifier="", next=next_path)
    password = request.form.get("password", "")
    if not typed:
        errors.add("identifier", _l("Enter your ID number or username."))
    if not password:
        errors.add("password", _l("Enter your password."))
    if errors:
        return render_template("account/sign_in.html", errors=errors, identifier=typed, next=next_path), 400
    if len(password) > setting("PASSWORD_MAX_LENGTH"):
        password = password[: setting("PASSWORD_MAX_LENGTH") + 1]  # refused below without hashing a huge input
    account = _check_password(identifier(typed), password)
    if account is None:
        errors.add("identifier", SIGN_IN_FAILED)
        return render_template("account/sign_in.html", errors=errors, identifier=typed, next=next_path), 401
    db = host().db_session()
    person = account.person
    flow = start_flow(FLOW, person_id=person.id, next=next_path, channel=_channel(account))
    outcome = send_code(
        db,
        flow=flow,
        purpose=PURPOSE,
        subject_key=f"person:{person.id}",
        channel=flow["channel"],
        destination=_destination(account, flow["channel"]),
        person_id=person.id,
    )
    db.commit()
    update_flow(
        FLOW,
        message_id=outcome.message_id,
        refused=refused_message(outcome.refused) if outcome.refused else None,
    )
    if outcome.refused is not None and codes_exhausted(outcome.refused):
        return too_many_codes(outcome.refused, url_for("account.sign_in_code"))
    return redirect(url_for("account.sign_in_code"), code=303)


def _check_password(normalised_identifier: str, password: str) -> Account | None:
    """The account if the password is right and nothing blocks it; records failures either way.

    A try from a browser that completed a sign-in to the account before is
    throttled under that device, not the account, so nobody can lock the owner
    out by failing with their ID number (decision 0021).
    """
    db = host().db_session()
    now = datetime.now(UTC)
    policy = _policy()
    account = find_account(db, normalised_identifier) if normalised_identifier else None
    too_long = len(password) > setting("PASSWORD_MAX_LENGTH")
    attempt = throttle.Attempt(address=throttle.address_key(request.remote_addr))
    if account is not None:
        subject = throttle.account_key(account.id)
        device = devices.known_device_key(request, devices.CITIZEN_COOKIE, subject)
        attempt = throttle.Attempt(address=attempt.address, account=subject, device=device)
    blocked = throttle.attempt_blocked_until(db, attempt, policy, now)
    if account is None or blocked or too_long:
        if not too_long:
            hashing().waste_time_like_a_verify(password)
        correct = False
    else:
        correct = hashing().verify(account.password_hash, password)
    if correct and account is not None:
        throttle.clear_attempt(db, attempt)
        if hashing().needs_rehash(account.password_hash):
            account.password_hash = hashing().hash(password)
        db.commit()
        return account
    locked = throttle.record_attempt_failure(db, attempt, policy, now)
    person_id = account.person_id if account is not None else None
    tried = tried_digest("citizen", normalised_identifier)
    watch_for_spraying(db, address=request.remote_addr, tried=tried, now=now)
    record(
        db,
        AuditEvents.SIGN_IN_FAILED,
        person_id=person_id,
        tried=tried,
        known_account=account is not None,
        known_device=attempt.device is not None,
        throttled=bool(blocked),
    )
    if locked:
        record(db, AuditEvents.SIGN_IN_LOCKED, person_id=person_id, known_device=attempt.device is not None)
    db.commit()
    return None


def _channel(account: Account) -> str:
    return "email" if account.code_channel == "email" and account.email_verified and account.person.email else "sms"


def _destination(account: Account, channel: str) -> str:
    return (account.person.email or "") if channel == "email" else account.person.mobile


def _masked(account: Account, channel: str) -> str:
    if channel == "email":
        local, _, domain = (account.person.email or "").partition("@")
        return f"{local[:1]}•••@{domain}"
    return mask_mobile(account.person.mobile)


@account_blueprint.route("/sign-in/code", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_CODES", methods=["POST"])
def sign_in_code() -> ResponseReturnValue:
    use_flow_language()
    flow = get_flow(FLOW)
    db = host().db_session()
    account = None
    if flow is not None:
        query = select(Account).where(Account.person_id == flow["person_id"]).options(joinedload(Account.person))
        account = db.scalars(query).first()
    if flow is None or account is None:
        return redirect(url_for("account.sign_in_page"), code=303)
    errors = FormErrors()
    channel = flow["channel"]
    intro = (
        _l("We sent a 6-digit code by email to %(address)s.", address=_masked(account, channel))
        if channel == "email"
        else _l("We sent a 6-digit code by SMS to %(mobile)s.", mobile=_masked(account, channel))
    )
    can_use_email = channel == "sms" and account.email_verified and bool(account.person.email)
    delayed = code_delayed(flow)
    page = {
        "title": _l("Enter your sign-in code"),
        "intro": intro,
        "action": url_for("account.sign_in_code"),
        "resend_action": url_for("account.sign_in_resend"),
        "email_action": url_for("account.sign_in_by_email") if can_use_email and delayed else None,
    }
    if request.method == "GET":
        notice = flow.get("refused") or (str(DELAYED) if delayed else None)
        return render_code_page(errors=errors, notice=notice, **page)
    code = code_value()
    if not well_formed_code(code):
        errors.add("code", enter_code())
        return render_code_page(errors=errors, status=400, **page)
    result = check_code(db, flow=flow, purpose=PURPOSE, code=code, person_id=account.person_id)
    if result is not VerifyResult.OK:
        db.commit()
        errors.add("code", code_error(result))
        return render_code_page(errors=errors, status=400, **page)
    person: Person = account.person
    account.last_sign_in_at = datetime.now(UTC)
    record(db, AuditEvents.SIGN_IN_SUCCEEDED, person_id=person.id, channel=channel)
    db.commit()
    next_path = flow.get("next") or ""
    end_flow(FLOW)
    sign_in(person, ["pwd", "otp"] if channel == "sms" else ["pwd", "otp", "email"])
    response = redirect(safe_next_url(next_path, "account.profile"), code=303)
    devices.remember_device(request, response, devices.CITIZEN_COOKIE, throttle.account_key(account.id))
    return response


@account_blueprint.post("/sign-in/resend")
@limit("GATEWAY_RATE_LIMIT_CODES")
def sign_in_resend() -> ResponseReturnValue:
    return _resend(channel=None)


@account_blueprint.post("/sign-in/email")
@limit("GATEWAY_RATE_LIMIT_CODES")
def sign_in_by_email() -> ResponseReturnValue:
    return _resend(channel="email")


def _resend(channel: str | None) -> ResponseReturnValue:
    flow = get_flow(FLOW)
    db = host().db_session()
    account = db.query(Account).filter(Account.person_id == flow["person_id"]).first() if flow else None
    if flow is None or account is None:
        return redirect(url_for("account.sign_in_page"), code=303)
    if channel == "email" and not (account.email_verified and account.person.email):
        channel = None
    chosen = channel or flow["channel"]
    outcome = send_code(
        db,
        flow=flow,
        purpose=PURPOSE,
        subject_key=f"person:{account.person_id}",
        channel=chosen,
        destination=_destination(account, chosen),
        person_id=account.person_id,
        previous_undelivered=code_delayed(flow) and chosen != flow["channel"],
    )
    db.commit()
    update_flow(
        FLOW,
        channel=chosen,
        message_id=outcome.message_id or flow.get("message_id"),
        refused=refused_message(outcome.refused) if outcome.refused else None,
    )
    if outcome.refused is not None and codes_exhausted(outcome.refused):
        return too_many_codes(outcome.refused, url_for("account.sign_in_code"))
    return redirect(url_for("account.sign_in_code"), code=303)


@account_blueprint.post("/sign-out")
def sign_out_page() -> ResponseReturnValue:
    """Sign out of the portal, and of every app this session signed in to (back-channel logout)."""
    person = current_person_record()
    if person is not None:
        db = host().db_session()
        record(db, AuditEvents.SIGNED_OUT, person_id=person.id)
        db.commit()
        end_app_sessions(person.id, portal_session_id())
    sign_out()
    flash(_("You are signed out. To use your applications again, sign in."), "success")
    return redirect(url_for("home.index"), code=303)
