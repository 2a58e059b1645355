"""GOSI's signed-in pages: the account (activation), the record, contributions, pension and SANED estimates.

Every page reads the contributor's record from GOSI through the records
adapter when it is shown. GOSI not answering is a 503 page saying to try
again later (nothing the person typed is lost: the forms are re-shown with
it), never a 500 and never "no record".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.formatting import format_amount, format_date

from . import account, applications, certificates, services
from .calculations import pension, saned
from .i18n import SLUG, _, _l
from .records import Contributor

bp = sdk.Blueprint(SLUG, __name__, template_folder="templates")
CHANNELS = ("sms", "email")
OCCUPATIONS = {
    "engineer": _l("Engineer"),
    "accountant": _l("Accountant"),
    "teacher": _l("Teacher"),
    "sales": _l("Sales worker"),
    "driver": _l("Driver"),
    "technician": _l("Technician"),
    "manager": _l("Manager"),
    "nurse": _l("Nurse"),
    "clerk": _l("Clerk"),
    "labourer": _l("Labourer"),
}
LEAVING_REASONS = {
    "contract_ended": _l("The contract ended"),
    "dismissed": _l("Dismissed"),
    "dismissed_for_fault": _l("Dismissed for a fault"),
    "resigned": _l("Resigned"),
    "establishment_closed": _l("The establishment closed"),
}


@bp.context_processor
def _formatting() -> dict[str, Any]:
    """Amounts, days and months in the reader's language, and the labels of GOSI's codes."""
    language = sdk.current_language()

    def sar(amount: Decimal | int) -> str:
        return format_amount(amount, language=language)

    def day(value: date | None) -> str:
        return format_date(value, language=language) if value is not None else "—"

    def month(value: date) -> str:
        return value.strftime("%Y-%m")

    def occupation(code: str) -> str:
        return str(OCCUPATIONS.get(code, code))

    def leaving(code: str | None) -> str:
        return str(LEAVING_REASONS.get(code, code)) if code else "—"

    def day_text(value: str | None) -> str:
        return format_date(value, language=language) if value else "—"

    return {
        "sar": sar,
        "day": day,
        "day_text": day_text,
        "month": month,
        "occupation": occupation,
        "leaving": leaving,
    }


def _page(name: str, status: int = 200, **context: Any) -> Any:
    return sdk.render_template(f"{SLUG}/{name}.html", **context), status


def _person() -> sdk.PersonView:
    person = sdk.current_person()
    if person is None:  # pragma: no cover - login_required ran first
        sdk.abort(401)
    return person


def with_record(activated: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The view gets the person and their GOSI record; outage, no record and not activated are pages."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            person = _person()
            try:
                contributor = account.contributor_of(person)
            except sdk.AdapterUnavailable:
                return _page("unavailable", 503)
            if contributor is None:
                return _page("no_record", 404, person=person)
            if activated and account.activation_of(person) is None:
                return sdk.redirect(sdk.url_for(f"{SLUG}.account_home"), code=303)
            return view(person, contributor, *args, **kwargs)

        return sdk.login_required(wrapped)

    return decorate


def today() -> date:
    return date.today()


# -- the account and its activation --------------------------------------------------------


@bp.get("/account")
@with_record(activated=False)
def account_home(person: sdk.PersonView, contributor: Contributor) -> Any:
    """The person's GOSI home once activated; the activation page before."""
    if account.activation_of(person) is None:
        return _page("activate", person=person, errors={}, channel=None)
    facts = services.summary(contributor, today())
    approved = applications.approved_pension(person)
    return _page("account", person=person, contributor=contributor, facts=facts, approved_pension=approved)


@bp.post("/account/activate")
@with_record(activated=False)
def send_activation_code(person: sdk.PersonView, contributor: Contributor) -> Any:
    """Send the activation code to the channel the person chose (the shared identity's address)."""
    channel = sdk.request.form.get("channel", "")
    if channel not in CHANNELS:
        errors = {"channel": _("Choose where to send the code: your mobile or your email.")}
        return _page("activate", 422, person=person, errors=errors, channel=None)
    sent = sdk.send_code(account.PURPOSE, channel)
    if not sent.sent:
        if sent.no_address:
            message = _(
                "You have no confirmed email in your Bawaba account. "
                "Choose your mobile, or add and confirm an email in your account first."
            )
        else:
            message = _(
                "A code was sent a moment ago. Wait %(seconds)s seconds before asking for another.",
                seconds=sent.retry_after,
            )
        status = 429 if sent.retry_after else 422
        return _page("activate", status, person=person, errors={"channel": message}, channel=channel)
    sdk.session[f"{SLUG}_activation"] = {"channel": channel, "destination": sent.destination}
    return sdk.redirect(sdk.url_for(f"{SLUG}.enter_activation_code"), code=303)


@bp.route("/account/activate/code", methods=["GET", "POST"])
@with_record(activated=False)
def enter_activation_code(person: sdk.PersonView, contributor: Contributor) -> Any:
    """The code the person received; a right one activates the account."""
    sent = sdk.session.get(f"{SLUG}_activation")
    if account.activation_of(person) is not None:
        return sdk.redirect(sdk.url_for(f"{SLUG}.account_home"), code=303)
    if not isinstance(sent, dict):
        return sdk.redirect(sdk.url_for(f"{SLUG}.account_home"), code=303)
    if sdk.request.method == "GET":
        return _page("activation_code", sent=sent, errors={})
    code = sdk.normalize_digits(sdk.request.form.get("code", "")).replace(" ", "")
    if not code.isdigit():
        errors = {"code": _("Enter the code we sent you, in digits.")}
        return _page("activation_code", 422, sent=sent, errors=errors)
    result = sdk.check_code(account.PURPOSE, code)
    if result == "wrong":
        errors = {"code": _("That code is not right. Check it and try again.")}
        return _page("activation_code", 422, sent=sent, errors=errors)
    if result != "ok":
        errors = {"code": _("This code can no longer be used. Ask for a new code.")}
        return _page("activation_code", 422, sent=sent, errors=errors, expired=True)
    account.activate(person, str(sent.get("channel", "sms")))
    sdk.session.pop(f"{SLUG}_activation", None)
    sdk.flash(_("Your social insurance account is active."), "success")
    return sdk.redirect(sdk.url_for(f"{SLUG}.account_home"), code=303)


# -- services ----------------------------------------------------------------------------------


@bp.get("/record")
@with_record()
def employment_record(person: sdk.PersonView, contributor: Contributor) -> Any:
    """Periods, employers, wages by month, months counted and regime; laid out to print."""
    facts = services.summary(contributor, today())
    return _page("record", person=person, contributor=contributor, facts=facts, today=today())


@bp.get("/contributions")
@with_record()
def contributions_page(person: sdk.PersonView, contributor: Contributor) -> Any:
    """What the worker and the employer paid in each of the last 12 months, at the rates then in force."""
    rows = services.contributions_by_month(contributor, 12)
    latest = rows[-1] if rows else None
    return _page(
        "contributions",
        contributor=contributor,
        rows=rows,
        latest=latest,
        worker_total=services.total(rows, "worker"),
        employer_total=services.total(rows, "employer"),
    )


@bp.get("/pension")
@with_record()
def pension_estimate(person: sdk.PersonView, contributor: Contributor) -> Any:
    """The person's pension worked out from their record, line by line, with each rule's source."""
    if not contributor.covered_for_annuities:
        return _page("hazards_only", contributor=contributor)
    situation = services.pension_situation(contributor, person.birth_date, today())
    result = pension(situation, sdk.plugin_parameters(SLUG))
    return _page("pension", contributor=contributor, situation=situation, result=result)


@bp.get("/saned")
@with_record()
def saned_estimate(person: sdk.PersonView, contributor: Contributor) -> Any:
    """SANED: every condition with the person's figures, and the allowance month by month."""
    if not contributor.covered_for_annuities:
        return _page("hazards_only", contributor=contributor)
    situation = services.saned_situation(contributor, person.birth_date, today())
    result = saned(situation, sdk.plugin_parameters(SLUG))
    return _page("saned", contributor=contributor, situation=situation, result=result)


# -- contributor certificate ----------------------------------------------------------------


@bp.post("/certificate")
@with_record()
def issue_certificate(person: sdk.PersonView, contributor: Contributor) -> Any:
    """Issue a new certificate from the record as it is now, and hand over its PDF."""
    issued = certificates.issue(person, contributor, services.summary(contributor, today()))
    return sdk.redirect(sdk.url_for(f"{SLUG}.certificate_pdf", code=issued.code), code=303)


@bp.get("/certificates/<code>.pdf")
@sdk.login_required
def certificate_pdf(code: str) -> Any:
    """The person's own certificate as a PDF; anyone else's code is 404."""
    found = certificates.own_certificate(_person(), code)
    if found is None:
        sdk.abort(404)
    verify_url = sdk.url_for(f"{SLUG}.verify_certificate", _external=True)
    body = certificates.pdf(found, verify_url, "GOSI contributor certificate", certificates.certificate_lines(found))
    headers = {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="gosi-certificate-{found.code}.pdf"',
    }
    return body, 200, headers


@bp.route("/verify", methods=["GET", "POST"])
@sdk.rate_limit(SLUG, "verify_rate", methods=("POST",))
def verify_certificate() -> Any:
    """Anyone checks a certificate by its code and the holder's ID number, without signing in."""
    if sdk.request.method == "GET":
        return _page("verify", errors={}, code="", id_number="", found=None)
    code = sdk.request.form.get("code", "")
    id_number = sdk.request.form.get("id_number", "")
    errors = {}
    if not certificates.normalise_code(code):
        errors["code"] = _("Enter the verification code printed on the certificate.")
    if not sdk.normalize_digits(id_number).strip():
        errors["id_number"] = _("Enter the ID number printed on the certificate.")
    if errors:
        return _page("verify", 422, errors=errors, code=code, id_number=id_number, found=None)
    found = certificates.verify(code, id_number)
    if found is None:
        errors = {"code": _("No certificate matches this code and ID number. Check both and try again.")}
        return _page("verify", 404, errors=errors, code=code, id_number=id_number, found=None)
    return _page("verify", errors={}, code="", id_number="", found=found)
