"""The account pages of a signed-in person: the shared identity and its changes.

A new mobile number or email address is confirmed with a code sent to it
before it replaces the old one; then every program is told through
``gateway_person_changed`` and the old contact is notified. Changing the
password needs the current one and ends the person's other sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from bawaba_sdk.validators import gregorian_to_hijri
from bawaba_sdk.validators.phone import mask_mobile, normalize_saudi_mobile

from ..audit.log import AuditEvents, record
from ..oidc.storage import revoke_tokens
from ..otp.service import VerifyResult
from ..ratelimit import limit
from ..sessions import end_other_sessions
from .blueprint import account_blueprint
from .codes import check_code, code_delayed, end_flow, get_flow, send_code, start_flow, update_flow
from .current import current_person_record
from .forms import FormErrors, code_value, parse, parse_email, text
from .helpers import (
    DELAYED,
    check_new_password,
    code_error,
    codes_exhausted,
    enter_code,
    hashing,
    host,
    notify,
    refused_message,
    render_code_page,
    too_many_codes,
    well_formed_code,
)
from .models import Person
from .people import announce_change, context_words
from .recovery_views import notify_password_changed

View = TypeVar("View", bound=Callable[..., Any])
CONTACT_FLOW = "contact"
CONTACT_PURPOSE = "contact_change"
FIELDS = ("mobile", "email")


def signed_in(view: View) -> View:
    """The host's own guard: to the sign-in page, and back here afterwards."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_person_record() is None:
            return redirect(url_for("account.sign_in_page", next=request.path), code=303)
        return view(*args, **kwargs)

    return cast(View, guarded)


def _person() -> Person:
    person = current_person_record()
    assert person is not None
    return person


@account_blueprint.get("/")
@signed_in
def profile() -> ResponseReturnValue:
    person = _person()
    hijri = gregorian_to_hijri(person.birth_date) if person.id_type == "citizen" else None
    return render_template(
        "account/profile.html",
        person=person,
        account=person.account,
        hijri_birth_date=hijri,
        welcome=request.args.get("welcome") == "1",
    )


@account_blueprint.route("/password", methods=["GET", "POST"])
@signed_in
@limit("GATEWAY_RATE_LIMIT_SIGNIN", methods=["POST"])
def change_password() -> ResponseReturnValue:
    person = _person()
    account = person.account
    assert account is not None
    errors = FormErrors()
    page = {"current_required": True, "action": url_for("account.change_password")}
    if request.method == "GET":
        return render_template("account/new_password.html", errors=errors, **page)
    current = request.form.get("current_password", "")
    if (
        not current
        or len(current) > host().settings["PASSWORD_MAX_LENGTH"]
        or not hashing().verify(account.password_hash, current)
    ):
        errors.add("current_password", _l("Your current password is not correct."))
    password = request.form.get("password", "")
    check_new_password(
        errors, password, request.form.get("password_confirmation", ""), context_words(person, account.username)
    )
    if not errors and password == current:
        errors.add("password", _l("Choose a password different from your current one."))
    if errors:
        return render_template("account/new_password.html", errors=errors, **page), 400
    db = host().db_session()
    account.password_hash = hashing().hash(password)
    account.password_changed_at = datetime.now(UTC)
    notify_password_changed(db, account)
    revoke_tokens(db, person_id=person.id, actor=f"person:{person.id}", reason="password_changed")
    record(db, AuditEvents.PASSWORD_CHANGED, person_id=person.id)
    db.commit()
    end_other_sessions(person.id)
    flash(str(_l("Your password has been changed. You have been signed out everywhere else.")), "success")
    return redirect(url_for("account.profile"), code=303)


@account_blueprint.route("/contact/<field>", methods=["GET", "POST"])
@signed_in
@limit("GATEWAY_RATE_LIMIT_CODES", methods=["POST"])
def change_contact(field: str) -> ResponseReturnValue:
    if field not in FIELDS:
        abort(404)
    person = _person()
    errors = FormErrors()
    value = text("value", 254) if request.method == "POST" else request.args.get("value", "")[:254]
    if request.method == "GET":
        return render_template("account/change_contact.html", field=field, errors=errors, value=value)
    if field == "mobile":
        new_value = parse(errors, "value", value, normalize_saudi_mobile, _l("Enter your new mobile number."))
        if new_value and new_value == person.mobile:
            errors.add("value", _l("This is already your mobile number."))
    else:
        email_errors = FormErrors()
        new_value = parse_email(email_errors, value)
        if email_errors:
            errors.add("value", email_errors["email"])
        elif new_value and new_value == person.email and person.account and person.account.email_verified:
            errors.add("value", _l("This email address is already confirmed."))
    if errors or new_value is None:
        return render_template("account/change_contact.html", field=field, errors=errors, value=value), 400
    db = host().db_session()
    flow = start_flow(CONTACT_FLOW, field=field, value=new_value, person_id=person.id)
    outcome = send_code(
        db,
        flow=flow,
        purpose=CONTACT_PURPOSE,
        subject_key=f"person:{person.id}",
        channel="sms" if field == "mobile" else "email",
        destination=new_value,
        person_id=person.id,
    )
    db.commit()
    update_flow(
        CONTACT_FLOW,
        message_id=outcome.message_id,
        refused=refused_message(outcome.refused) if outcome.refused else None,
    )
    if outcome.refused is not None and codes_exhausted(outcome.refused):
        return too_many_codes(outcome.refused, url_for("account.change_contact_code"))
    return redirect(url_for("account.change_contact_code"), code=303)


@account_blueprint.route("/contact/code", methods=["GET", "POST"])
@signed_in
@limit("GATEWAY_RATE_LIMIT_CODES", methods=["POST"])
def change_contact_code() -> ResponseReturnValue:
    person = _person()
    flow = get_flow(CONTACT_FLOW)
    if flow is None or flow.get("person_id") != person.id:
        return redirect(url_for("account.profile"), code=303)
    errors = FormErrors()
    shown = mask_mobile(flow["value"]) if flow["field"] == "mobile" else flow["value"]
    page = {
        "title": _l("Confirm your new contact details"),
        "intro": _l("We sent a 6-digit code to %(destination)s. Enter it to confirm the change.", destination=shown),
        "action": url_for("account.change_contact_code"),
        "resend_action": url_for("account.change_contact", field=flow["field"]),
    }
    if request.method == "GET":
        notice = flow.get("refused") or (str(DELAYED) if code_delayed(flow) else None)
        return render_code_page(errors=errors, notice=notice, **page)
    code = code_value()
    if not well_formed_code(code):
        errors.add("code", enter_code())
        return render_code_page(errors=errors, status=400, **page)
    db = host().db_session()
    result = check_code(db, flow=flow, purpose=CONTACT_PURPOSE, code=code, person_id=person.id)
    if result is not VerifyResult.OK:
        db.commit()
        errors.add("code", code_error(result))
        return render_code_page(errors=errors, status=400, **page)
    field, new_value = flow["field"], flow["value"]
    old_mobile = person.mobile
    if field == "mobile":
        person.mobile = new_value
    else:
        person.email = new_value
        assert person.account is not None
        person.account.email_verified = True
    record(db, AuditEvents.CONTACT_CHANGED, person_id=person.id, field=field)
    db.commit()
    end_flow(CONTACT_FLOW)
    if field == "mobile":
        notify(
            db,
            channel="sms",
            recipient=old_mobile,
            person_id=person.id,
            body=str(_l("The mobile number of your Bawaba account was changed. If this was not you, call support.")),
        )
        db.commit()
    announce_change(host().plugins, person, {field})
    flash(str(_l("Your contact details have been updated for every program.")), "success")
    return redirect(url_for("account.profile"), code=303)


@account_blueprint.post("/code-channel")
@signed_in
def code_channel() -> ResponseReturnValue:
    person = _person()
    account = person.account
    assert account is not None
    choice = request.form.get("channel", "")
    if choice not in ("sms", "email") or (choice == "email" and not (account.email_verified and person.email)):
        abort(400)
    account.code_channel = choice
    db = host().db_session()
    record(db, AuditEvents.CONTACT_CHANGED, person_id=person.id, field="code_channel", channel=choice)
    db.commit()
    flash(str(_l("Your sign-in codes will now be sent the way you chose.")), "success")
    return redirect(url_for("account.profile"), code=303)
