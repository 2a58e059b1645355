"""What the account views share: the host, settings, the code page and its messages."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, make_response, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..host import GatewayHost
from ..messaging.outbox import queue_message
from ..otp.service import CodeRefused, TooManyCodes, VerifyResult
from .forms import FormErrors
from .passwords import PasswordHashing, password_problems

CODE_MESSAGES = {
    VerifyResult.TOO_MANY_TRIES: _l("Too many wrong codes were entered. Request a new code."),
}
WRONG_CODE = _l("The code is not correct or has expired. Check the message, or request a new code.")
"""One answer for a wrong, an expired and an unknown code (issue 11 item 7): whoever types codes
learns nothing about which codes were ever issued or when."""

DELAYED = _l("Sending the code is taking longer than usual. It will arrive as soon as the service recovers.")


def host() -> GatewayHost:
    gateway_host: GatewayHost = current_app.extensions["gateway"]
    return gateway_host


def setting(name: str) -> Any:
    return current_app.config[f"GATEWAY_{name}"]


def hashing() -> PasswordHashing:
    hasher: PasswordHashing = current_app.extensions["gateway.passwords"]
    return hasher


def notify(db: Session, *, channel: str, recipient: str, body: str, person_id: int) -> None:
    """Queue a notification; it goes to the worker once ``db`` commits (never before: a rollback sends nothing)."""
    queue_message(
        db,
        channel=channel,
        recipient=recipient,
        body=body,
        purpose="notification",
        subject=body.split(".")[0] if channel == "email" else None,
        person_id=person_id,
    )


def enter_code() -> str:
    return str(_l("Enter the code we sent you (%(length)s digits).", length=setting("OTP_LENGTH")))


def well_formed_code(code: str) -> bool:
    """Only a code of the right length reaches verification (a malformed entry costs no try)."""
    return code.isdigit() and len(code) == setting("OTP_LENGTH")


def code_error(result: VerifyResult) -> str:
    return str(CODE_MESSAGES.get(result, WRONG_CODE))


def refused_message(refused: CodeRefused) -> str:
    seconds = max(int(refused.retry_after), 1)
    if seconds <= 120:
        return str(_l("You can request a new code in %(seconds)s seconds.", seconds=seconds))
    return str(_l("You have asked for too many codes. Try again in %(minutes)s minutes.", minutes=(seconds + 59) // 60))


def codes_exhausted(refused: CodeRefused | None) -> bool:
    """Whether a send was refused by the hourly or daily cap (not by the short wait between resends)."""
    return isinstance(refused, TooManyCodes)


def too_many_codes(refused: CodeRefused, continue_url: str) -> Response:
    """429 with ``Retry-After``: a page in the person's language, and a way back to the flow's code page.

    The flow stays as it was: a code sent before still works, and the code
    page offers a new one once the wait is over (issue 11 item 7).
    """
    page = render_template("account/too_many_codes.html", message=refused_message(refused), continue_url=continue_url)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(max(int(refused.retry_after), 1))
    response.headers["Cache-Control"] = "no-store"
    return response


def notify_registration_attempt(db: Session, person: Any) -> None:
    """Tell an account's owner that someone started registering with their ID number (no answer reveals it)."""
    body = str(
        _l(
            "Someone started registering a Bawaba account with your ID number, which already has an account. "
            "If this was you, sign in or reset your password. If not, you need not do anything: no one can "
            "register without the code sent to your mobile."
        )
    )
    account = person.account
    if account is not None and account.email_verified and person.email:
        notify(db, channel="email", recipient=person.email, body=body, person_id=person.id)
    else:
        notify(db, channel="sms", recipient=person.mobile, body=body, person_id=person.id)


def check_new_password(errors: FormErrors, password: str, confirmation: str, context: list[str]) -> bool:
    """Policy problems and a mismatching confirmation, as field errors."""
    if not password:
        errors.add("password", _l("Choose a password."))
        return False
    problems = password_problems(
        password, minimum=setting("PASSWORD_MIN_LENGTH"), maximum=setting("PASSWORD_MAX_LENGTH"), context=context
    )
    if problems:
        errors.add("password", " ".join(problem.message for problem in problems))
        return False
    if password != confirmation:
        errors.add("password_confirmation", _l("The two passwords do not match."))
        return False
    return True


def render_code_page(
    *,
    title: Any,
    intro: Any,
    action: str,
    resend_action: str,
    errors: FormErrors,
    notice: str | None = None,
    email_action: str | None = None,
    step: tuple[int, int] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The code page; ``step`` (this one, of how many) when the code is one step of a longer flow."""
    return render_template(
        "account/code.html",
        title=title,
        intro=intro,
        action=action,
        resend_action=resend_action,
        errors=errors,
        notice=notice,
        email_action=email_action,
        step=step,
        code_length=setting("OTP_LENGTH"),
    ), status
