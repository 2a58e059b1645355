"""Musaned's gettext domain: every string a person reads goes through it."""

from __future__ import annotations

import bawaba_sdk as sdk

translations = sdk.TranslationDomain.for_package("bawaba_musaned", "musaned")
_l = translations.lazy_gettext
_ = translations.gettext
ngettext = translations.ngettext
