"""The text that carries a one-time code, in the person's language.

The code comes first ("123456 is your Bawaba sign-in code."), so it is
visible in a phone's notification preview and picked up by SMS autofill; it
is always written in ASCII digits, which autofill and every keyboard accept.
The wording names the purpose, because a person who receives a sign-in or
password-reset code they did not ask for must be told what it means and what
to do. The validity is said in whole minutes (rounded down, so the message
never promises more time than the code has), with separate sentences for 1,
2, 3-10 and 11+ minutes because Arabic counts nouns differently in each case.

The WebOTP line (``@portal.example #123456``, the last line of an SMS) lets
a browser on the portal's page fill the code in. It must name the portal's
real public host, and a request's ``Host`` header cannot be trusted for that
(an attacker could have a victim's code announced for their own site), so
the line is added only when the caller passes a host, normally
:func:`webotp_host_from_config`: the host of ``GATEWAY_OIDC_ISSUER``, the
portal's configured public https URL. Without it the line is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _

from bawaba_sdk.i18n import SUPPORTED_LANGUAGES

HOSTNAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")

_FIRST_LINES: dict[str, Callable[[str], str]] = {
    "registration": lambda code: _("%(code)s is your Bawaba registration code.", code=code),
    "sign_in": lambda code: _("%(code)s is your Bawaba sign-in code.", code=code),
    "password_reset": lambda code: _("%(code)s is your Bawaba password reset code.", code=code),
    "contact_change": lambda code: _("%(code)s is your Bawaba code to confirm your new contact details.", code=code),
}

_SUBJECTS: dict[str, Callable[[], str]] = {
    "registration": lambda: _("Your Bawaba registration code"),
    "sign_in": lambda: _("Your Bawaba sign-in code"),
    "password_reset": lambda: _("Your Bawaba password reset code"),
    "contact_change": lambda: _("Confirm your new contact details on Bawaba"),
}

_IF_NOT_YOU: dict[str, Callable[[], str]] = {
    "sign_in": lambda: _("If you are not signing in, change your password now."),
    "password_reset": lambda: _("If you did not ask to reset your password, ignore this message."),
    "contact_change": lambda: _("If you did not ask for this change, ignore this message."),
}


def code_message(
    code: str,
    purpose: str,
    language: str,
    *,
    valid_minutes: int | None = None,
    webotp_host: str | None = None,
) -> str:
    """The SMS or email text carrying ``code`` for ``purpose``, in ``language`` (``ar`` or ``en``).

    ``valid_minutes`` defaults to the configured ``GATEWAY_OTP_TTL_SECONDS``;
    ``webotp_host`` adds the WebOTP line (SMS only; see the module docstring).
    """
    if not code.isascii() or not code.isdigit():
        raise ValueError("a one-time code is made of ASCII digits")
    minutes = _valid_minutes(valid_minutes)
    with force_locale(_language(language)):
        first_line = _FIRST_LINES.get(purpose, _generic_first_line)(code)
        sentences = [first_line, _expiry(minutes), _("Never share it with anyone; Bawaba staff will never ask for it.")]
        if purpose in _IF_NOT_YOU:
            sentences.append(_IF_NOT_YOU[purpose]())
    text = " ".join(sentences)
    if webotp_host is not None:
        text += f"\n\n@{_checked_host(webotp_host)} #{code}"
    return text


def code_subject(purpose: str, language: str) -> str:
    """An email subject for the code's message, without the code (subjects are shown and logged widely)."""
    with force_locale(_language(language)):
        return _SUBJECTS.get(purpose, _generic_subject)()


def webotp_host_from_config(config: Mapping[str, Any]) -> str | None:
    """The portal's public host for the WebOTP line, from ``GATEWAY_OIDC_ISSUER`` when it is an https URL."""
    issuer = config.get("GATEWAY_OIDC_ISSUER")
    if not issuer:
        return None
    parts = urlsplit(str(issuer))
    try:
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or port not in (None, 443) or not HOSTNAME.fullmatch(host):
        return None
    return host


def _generic_first_line(code: str) -> str:
    return _("%(code)s is your Bawaba verification code.", code=code)


def _generic_subject() -> str:
    return _("Your Bawaba verification code")


def _expiry(minutes: int) -> str:
    if minutes == 1:
        return _("It expires in 1 minute.")
    if minutes == 2:
        return _("It expires in 2 minutes.")
    if minutes <= 10:
        return _("It expires in %(minutes)s minutes.", minutes=minutes)
    return _("It is valid for %(minutes)s minutes.", minutes=minutes)


def _valid_minutes(valid_minutes: int | None) -> int:
    if valid_minutes is None:
        seconds = int(current_app.config["GATEWAY_OTP_TTL_SECONDS"]) if has_app_context() else 300
        valid_minutes = seconds // 60
    return max(1, int(valid_minutes))


def _language(language: str) -> str:
    code = (language or "").replace("-", "_").split("_")[0].lower()
    if code in SUPPORTED_LANGUAGES:
        return code
    if has_app_context():
        return str(current_app.config.get("GATEWAY_DEFAULT_LANGUAGE", SUPPORTED_LANGUAGES[0]))
    return SUPPORTED_LANGUAGES[0]


def _checked_host(host: str) -> str:
    host = host.strip().lower()
    if not HOSTNAME.fullmatch(host):
        raise ValueError(f"{host!r} is not a host name for the WebOTP line")
    return host
