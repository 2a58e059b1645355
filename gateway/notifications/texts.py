"""The words of a notification, in Arabic and English, rendered once when it is created.

Everything that goes into a notification comes from declarations (service
and program names, state labels) and the application's reference: never the
person's answers or anyone's personal data. It is still cleaned of control
characters, because the same words become an email subject, and a line break
there would let text pose as a mail header.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from bawaba_sdk.i18n import LocalText, text_in

from ..messaging.models import SUBJECT_LENGTH
from .models import SUBMITTED

ARABIC = "ar"
ENGLISH = "en"

SUBJECT_SEPARATOR = " | "


@dataclass(frozen=True)
class Wording:
    """One notification in one language: the line for the list and the SMS, and the email's extras."""

    text: str
    subject: str
    follow_up: str


@dataclass(frozen=True)
class Facts:
    """What a notification says, still in both languages (lazy texts are rendered per language)."""

    kind: str
    reference: str
    service_name: LocalText
    program_name: LocalText
    state_label: LocalText


def one_line(value: str) -> str:
    """``value`` without control characters or line breaks, spaces collapsed.

    Format characters (such as the right-to-left mark) are kept: Arabic text
    may need them and they cannot end a header line.
    """
    kept = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in unicodedata.normalize("NFC", value)
    )
    return " ".join(kept.split())


def word(facts: Facts, language: str) -> Wording:
    """The notification in ``language`` (needs an app context, as every translation does)."""
    values = {
        "reference": one_line(facts.reference),
        "service": one_line(text_in(facts.service_name, language)),
        "program": one_line(text_in(facts.program_name, language)),
        "state": one_line(text_in(facts.state_label, language)),
    }
    with force_locale(language):
        if facts.kind == SUBMITTED:
            text = _("Your application %(reference)s for %(service)s (%(program)s) was received.", **values)
            subject = _("Application %(reference)s received", **values)
        else:
            text = _("Your application %(reference)s for %(service)s (%(program)s) is now: %(state)s.", **values)
            subject = _("Update on your application %(reference)s", **values)
        follow_up = _("You can follow it on Bawaba under “My applications”.")
    return Wording(text=one_line(text), subject=one_line(subject), follow_up=one_line(follow_up))


def email_subject(arabic: Wording, english: Wording) -> str:
    """Both subjects on one header line, cut to what the outbox stores."""
    return one_line(arabic.subject + SUBJECT_SEPARATOR + english.subject)[:SUBJECT_LENGTH]


def sms_body(arabic: Wording, english: Wording) -> str:
    """Arabic first, English on the next line: short, because every 70 Arabic characters is another SMS part."""
    return f"{arabic.text}\n{english.text}"


def email_body(arabic: Wording, english: Wording) -> str:
    return f"{arabic.text}\n{arabic.follow_up}\n\n{english.text}\n{english.follow_up}\n"
