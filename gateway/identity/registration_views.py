"""Registration, once for every program (the seeds' three steps).

1. ID type, ID number, names and birth date, checked against the registry;
   each kind of mismatch gets its own message revealing nothing of the record.
2. A code sent by SMS to the mobile the registry holds (shown masked).
3. Username, password, email and mobile; then the person record is made from
   the registry's data and the person is signed in.

Whether the ID already has an account is said only after step 2, so nobody
can probe for accounts with someone else's ID number.
"""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from bawaba_sdk.validators import IdType, parse_gregorian, parse_hijri, parse_national_id
from bawaba_sdk.validators.phone import mask_mobile, normalize_saudi_mobile

from ..audit.log import AuditEvents, record
from ..otp.service import VerifyResult
from ..ratelimit import limit
from ..registry.adapter import RegistryUnavailable
from ..registry.matching import RegistryMatch, match_registration
from .blueprint import account_blueprint
from .codes import check_code, code_delayed, end_flow, get_flow, send_code, start_flow, update_flow
from .current import sign_in
from .forms import FormErrors, code_value, parse, parse_email, parse_name, parse_username, text
from .helpers import (
    DELAYED,
    check_new_password,
    code_error,
    codes_exhausted,
    enter_code,
    hashing,
    host,
    notify_registration_attempt,
    refused_message,
    render_code_page,
    too_many_codes,
    well_formed_code,
)
from .models import Account
from .people import context_words, person_by_id_number, person_from_registry

FLOW = "registration"
PURPOSE = "registration"
MATCH_MESSAGES = {
    RegistryMatch.UNKNOWN_ID: _l(
        "We could not find this ID number in the national registry. Check the number and the ID type."
    ),
    RegistryMatch.MISMATCH: _l(
        "The name or date of birth does not match the national registry. Enter them exactly as on your ID."
    ),
    RegistryMatch.INACTIVE_ACCOUNT: _l(
        "Your Absher account is not active. Activate it on Absher first, then register here."
    ),
}


@account_blueprint.route("/register", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_REGISTRATION", methods=["POST"])
def register() -> ResponseReturnValue:
    errors = FormErrors()
    form = {key: text(key) for key in ("id_type", "id_number", "first_name", "family_name", "birth_date")}
    if request.method == "GET":
        return render_template("account/register.html", errors=errors, form=form)
    id_type = IdType(form["id_type"]) if form["id_type"] in (IdType.CITIZEN, IdType.RESIDENT) else None
    if id_type is None:
        errors.add("id_type", _l("Choose whether you have a national ID or an iqama."))
    national_id = parse(
        errors,
        "id_number",
        form["id_number"],
        lambda value: parse_national_id(value, id_type=id_type),
        _l("Enter your ID number."),
    )
    first_name = parse_name(errors, "first_name", form["first_name"], _l("Enter your first name."))
    family_name = parse_name(errors, "family_name", form["family_name"], _l("Enter your family name."))
    birth_date = _birth_date(errors, form["birth_date"], id_type)
    if errors:
        return render_template("account/register.html", errors=errors, form=form), 400
    assert national_id is not None and id_type is not None and birth_date is not None
    try:
        registry_record = host().registry.lookup(national_id.number)
    except RegistryUnavailable:
        errors.add(
            "id_number", _l("The national registry cannot be reached right now. Please try again in a few minutes.")
        )
        return render_template("account/register.html", errors=errors, form=form), 503
    outcome = match_registration(
        registry_record,
        id_type=id_type,
        first_name=first_name or "",
        family_name=family_name or "",
        birth_date=birth_date,
    )
    db = host().db_session()
    if outcome is not RegistryMatch.MATCH:
        record(db, AuditEvents.REGISTRATION_REGISTRY_MISMATCH, outcome=outcome.name, id_suffix=national_id.number[-4:])
        db.commit()
        errors.add("id_number", MATCH_MESSAGES[outcome])
        return render_template("account/register.html", errors=errors, form=form), 400
    assert registry_record is not None
    flow = start_flow(FLOW, id_number=national_id.number, mobile=registry_record.mobile, verified=False)
    outcome_sent = send_code(
        db,
        flow=flow,
        purpose=PURPOSE,
        subject_key=f"id:{national_id.number}",
        channel="sms",
        destination=registry_record.mobile,
        person_id=None,
    )
    record(db, AuditEvents.REGISTRATION_STARTED, id_suffix=national_id.number[-4:])
    owner = person_by_id_number(db, national_id.number)
    if outcome_sent.refused is None and owner is not None and owner.account is not None:
        # The page answers as for a new ID (the code goes to the registry's mobile either way); the owner hears.
        notify_registration_attempt(db, owner)
    db.commit()
    update_flow(
        FLOW,
        message_id=outcome_sent.message_id,
        refused=refused_message(outcome_sent.refused) if outcome_sent.refused else None,
    )
    if outcome_sent.refused is not None and codes_exhausted(outcome_sent.refused):
        return too_many_codes(outcome_sent.refused, url_for("account.register_code"))
    return redirect(url_for("account.register_code"), code=303)


def _birth_date(errors: FormErrors, value: str, id_type: str | None) -> date | None:
    if id_type == IdType.CITIZEN:
        hijri = parse(errors, "birth_date", value, parse_hijri, _l("Enter your date of birth (Hijri)."))
        return hijri.to_gregorian() if hijri is not None else None
    return parse(errors, "birth_date", value, parse_gregorian, _l("Enter your date of birth."))


@account_blueprint.route("/register/code", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_CODES", methods=["POST"])
def register_code() -> ResponseReturnValue:
    flow = get_flow(FLOW)
    if flow is None:
        return redirect(url_for("account.register"), code=303)
    errors = FormErrors()
    notice = flow.get("refused") or (str(DELAYED) if code_delayed(flow) else None)
    page = {
        "title": _l("Enter the code sent to your mobile"),
        "intro": _l(
            "We sent a 6-digit code by SMS to %(mobile)s, "
            "the mobile number registered for you in the national registry.",
            mobile=mask_mobile(flow["mobile"]),
        ),
        "action": url_for("account.register_code"),
        "resend_action": url_for("account.register_resend"),
        "step": (2, 3),
    }
    if request.method == "GET":
        return render_code_page(errors=errors, notice=notice, **page)
    code = code_value()
    if not well_formed_code(code):
        errors.add("code", enter_code())
        return render_code_page(errors=errors, status=400, **page)
    db = host().db_session()
    result = check_code(db, flow=flow, purpose=PURPOSE, code=code, person_id=None)
    db.commit()
    if result is not VerifyResult.OK:
        errors.add("code", code_error(result))
        return render_code_page(errors=errors, status=400, **page)
    existing = person_by_id_number(db, flow["id_number"])
    if existing is not None and existing.account is not None:
        record(db, AuditEvents.REGISTRATION_EXISTING_ACCOUNT, person_id=existing.id)
        db.commit()
        end_flow(FLOW)
        return render_template("account/account_exists.html")
    update_flow(FLOW, verified=True, message_id=None, refused=None)
    return redirect(url_for("account.register_details"), code=303)


@account_blueprint.post("/register/resend")
@limit("GATEWAY_RATE_LIMIT_CODES")
def register_resend() -> ResponseReturnValue:
    flow = get_flow(FLOW)
    if flow is None:
        return redirect(url_for("account.register"), code=303)
    db = host().db_session()
    outcome = send_code(
        db,
        flow=flow,
        purpose=PURPOSE,
        subject_key=f"id:{flow['id_number']}",
        channel="sms",
        destination=flow["mobile"],
        person_id=None,
    )
    db.commit()
    update_flow(
        FLOW,
        message_id=outcome.message_id or flow.get("message_id"),
        refused=refused_message(outcome.refused) if outcome.refused else None,
    )
    if outcome.refused is not None and codes_exhausted(outcome.refused):
        return too_many_codes(outcome.refused, url_for("account.register_code"))
    return redirect(url_for("account.register_code"), code=303)


@account_blueprint.route("/register/details", methods=["GET", "POST"])
@limit("GATEWAY_RATE_LIMIT_REGISTRATION", methods=["POST"])
def register_details() -> ResponseReturnValue:
    flow = get_flow(FLOW)
    if flow is None or not flow.get("verified"):
        return redirect(url_for("account.register"), code=303)
    errors = FormErrors()
    registry_record = host().registry.lookup(flow["id_number"])
    form = {
        "username": text("username", 32),
        "email": text("email", 254),
        "mobile": text("mobile", 20) or ("" if request.method == "POST" else flow["mobile"]),
    }
    if request.method == "GET" or registry_record is None:
        return render_template("account/register_details.html", errors=errors, form=form)
    username = parse_username(errors, form["username"])
    email = parse_email(errors, form["email"])
    mobile = parse(errors, "mobile", form["mobile"], normalize_saudi_mobile, _l("Enter your mobile number."))
    password = request.form.get("password", "")
    context = context_words(registry_record, username)
    check_new_password(errors, password, request.form.get("password_confirmation", ""), context)
    db = host().db_session()
    if username and db.query(Account).filter(Account.username == username).first() is not None:
        errors.add("username", _l("This username is taken. Choose another one."))
    if errors:
        return render_template("account/register_details.html", errors=errors, form=form), 400
    person = person_from_registry(registry_record)
    person.email = email
    account = Account(
        person=person,
        username=username,
        password_hash=hashing().hash(password),
        code_channel="sms",
        email_verified=False,
    )
    db.add_all([person, account])
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        end_flow(FLOW)
        return render_template("account/account_exists.html")
    record(db, AuditEvents.REGISTRATION_COMPLETED, person_id=person.id)
    db.commit()
    end_flow(FLOW)
    sign_in(person, ["pwd", "otp"])
    if mobile and mobile != person.mobile:
        return redirect(url_for("account.change_contact", field="mobile", value=mobile), code=303)
    return redirect(url_for("account.profile", welcome=1), code=303)
