"""What the account views share: the host, settings, the code page and its messages."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..host import GatewayHost
from ..messaging.outbox import queue_message
from ..otp.service import CodeRefused, VerifyResult
from .forms import FormErrors
from .passwords import PasswordHashing, password_problems

CODE_MESSAGES = {
    VerifyResult.EXPIRED: _l("The code has expired. Request a new code."),
    VerifyResult.TOO_MANY_TRIES: _l("Too many wrong codes were entered. Request a new code."),
    VerifyResult.NO_CODE: _l("This code is not valid. Request a new code."),
}
WRONG_CODE = _l("The code is not correct. Check the message and try again.")

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
