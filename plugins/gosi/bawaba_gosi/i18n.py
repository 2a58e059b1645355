"""GOSI's gettext domain: every string a person reads goes through it."""

from __future__ import annotations

from typing import cast

import bawaba_sdk as sdk

SLUG = "gosi"

translations = sdk.TranslationDomain.for_package("bawaba_gosi", SLUG)
_l = translations.lazy_gettext
_ = translations.gettext


def as_message(text: object) -> str:
    """A lazily translated message typed as ``str``, for marshmallow's ``error=`` arguments.

    Marshmallow formats it while failing a value, inside the request, so the
    person reads it in their language; its type hints only say ``str``.
    """
    return cast(str, text)
