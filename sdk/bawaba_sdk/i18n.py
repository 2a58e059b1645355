"""Translations for plugins: one gettext domain per plugin.

Every string a person sees goes through flask-babel. A plugin keeps its own
catalogue (its own gettext domain) so its msgids never collide with the host's
or another plugin's; the host merges the plugin's catalogue over its own only
while it renders that plugin's pages, so the shared layout stays translated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import flask_babel
import markupsafe
from babel import Locale
from babel.support import LazyProxy, NullTranslations
from flask.globals import _cv_app

LocalText = str | LazyProxy
"""A string shown to people: plain text or a lazily translated msgid."""

SUPPORTED_LANGUAGES: tuple[str, ...] = ("ar", "en")
"""Languages the portal offers; Arabic first because it is the default."""


def N_(msgid: str) -> str:  # noqa: N802 - gettext's conventional name for "mark, don't translate"
    """Mark ``msgid`` for extraction without translating it now.

    For msgids kept as data and translated when shown (the lines of a
    calculation's explanation, stored and rendered later in either language).
    ``pybabel extract`` finds ``N_`` by default.
    """
    return msgid


def _babel_request_state() -> Any:
    """flask-babel's per-request namespace (``g._flask_babel``), read without Flask's proxies; ``None`` outside."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    return app_context.g.__dict__.get("_flask_babel")


class RequestCachedDomain(flask_babel.Domain):
    """flask-babel's ``Domain``, keeping the translations it found for the rest of the request.

    Why: for every string it translates, flask-babel finds the app context
    through Flask's proxies, then the locale, then the locale's identifier
    (rebuilt each time), then its cache; a rendered page translates a hundred
    strings or more, and that was a tenth of the page's CPU. Here the lookup
    is made once per request, domain and locale: the memo is keyed by the
    locale object itself, so ``flask_babel.refresh()`` and ``force_locale``
    (which put another locale object in place) are followed at once.
    """

    def get_translations(self) -> Any:
        state = _babel_request_state()
        locale = getattr(state, "babel_locale", None) if state is not None else None
        if locale is None:
            return super().get_translations()
        memo: dict[int, tuple[Locale, Any]] | None = getattr(state, "bawaba_translations", None)
        if memo is None:
            memo = state.bawaba_translations = {}
        entry = memo.get(id(self))
        if entry is not None and entry[0] is locale:
            return entry[1]
        translations = super().get_translations()
        memo[id(self)] = (locale, translations)
        return translations


def request_translations() -> Any:
    """The translations of the request's domain (the host's, or a plugin's merged over it on its pages).

    What templates' ``_()`` uses: the same as ``flask_babel.get_translations()``,
    without its detour through Flask's proxies when the request's domain is already known.
    """
    state = _babel_request_state()
    domain = getattr(state, "babel_domain", None) if state is not None else None
    if domain is None:
        return flask_babel.get_translations()
    translations = domain.get_translations()
    return translations if translations is not None else NullTranslations()


class TranslationDomain:
    """A plugin's gettext domain and the directory that holds its catalogues.

    Create one per plugin, at import time, and use its ``gettext`` family in
    Python code (``_ = domain.lazy_gettext`` for module-level declarations).
    """

    def __init__(self, directory: Path | str, domain: str) -> None:
        self.directory = Path(directory)
        self.domain = domain
        self._flask_domain = RequestCachedDomain(str(self.directory), domain)

    @classmethod
    def for_package(cls, package: str, domain: str, subdir: str = "translations") -> TranslationDomain:
        """The domain whose catalogues live in ``<package>/<subdir>``."""
        return cls(Path(str(resources.files(package).joinpath(subdir))), domain)

    def gettext(self, string: str, **variables: Any) -> str:
        return self._flask_domain.gettext(string, **variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        return self._flask_domain.ngettext(singular, plural, num, **variables)

    def lazy_gettext(self, string: str, **variables: Any) -> LazyProxy:
        """Translate when rendered, so module-level declarations follow the request's language."""
        return self._flask_domain.lazy_gettext(string, **variables)

    def lazy_ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> LazyProxy:
        return self._flask_domain.lazy_ngettext(singular, plural, num, **variables)

    def __repr__(self) -> str:
        return f"TranslationDomain({str(self.directory)!r}, {self.domain!r})"


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Render lazy strings in ``language`` inside the block (needs an app context)."""
    with flask_babel.force_locale(language):
        yield


def text_in(text: LocalText, language: str) -> str:
    """``text`` rendered in ``language``; plain strings come back unchanged."""
    with in_language(language):
        return str(text)


def text_in_all_languages(text: LocalText) -> dict[str, str]:
    """``{"ar": ..., "en": ...}`` for machine-readable descriptions."""
    return {language: text_in(text, language) for language in SUPPORTED_LANGUAGES}


def current_language() -> str:
    """The language of the current request (``ar`` or ``en``)."""
    locale = flask_babel.get_locale()
    return locale.language if locale is not None else SUPPORTED_LANGUAGES[0]


class CountryName:
    """A country's name from the Unicode CLDR, in the language of the request when it is shown.

    Lets a program offer nationalities from configuration (ISO 3166 codes)
    without keeping its own translations of every country's name.
    """

    def __init__(self, code: str) -> None:
        self.code = code.upper()
        if self.code not in _territories("en"):
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")

    def __str__(self) -> str:
        return country_name(self.code)

    def __repr__(self) -> str:
        return f"CountryName({self.code!r})"

    def __html__(self) -> str:
        return str(markupsafe.escape(str(self)))


def country_name(code: str, language: str | None = None) -> str:
    """The name of the country ``code`` (``"PH"``) in ``language`` (default: the request's)."""
    return str(_territories(language or current_language()).get(code.upper(), code.upper()))


@lru_cache(maxsize=16)
def _territories(language: str) -> Mapping[str, str]:
    """CLDR's country names in ``language``, read once: building a ``Locale`` checks for its data file each time."""
    return dict(Locale(language).territories)
