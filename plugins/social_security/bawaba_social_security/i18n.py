"""The programme's gettext domain: every string a person reads goes through it."""

from __future__ import annotations

from typing import cast

import bawaba_sdk as sdk

translations = sdk.TranslationDomain.for_package("bawaba_social_security", "social_security")
_l = translations.lazy_gettext
_ = translations.gettext
ngettext = translations.ngettext


def as_message(text: object) -> str:
    """A lazily translated message (``_l(...)``) typed as ``str``, for marshmallow's ``error=`` arguments.

    Marshmallow formats the message when it fails a value, inside the request,
    so the person reads it in their language; its type hints only say ``str``.
    """
    return cast(str, text)
