"""Languages: Arabic by default and right to left, English one click away.

The language is chosen per request: the ``lang`` cookie set by the language
switch, then the browser's ``Accept-Language``, then ``GATEWAY_DEFAULT_LANGUAGE``.
An app that sends someone to sign in through the portal may ask for a language
(OpenID Connect's ``ui_locales``): the pages of that one flow (sign-in, code,
consent, sign-out) are then shown in it, without touching the cookie, until
the person switches language themselves (:func:`honour_ui_locales`).
Each plugin's pages are rendered with its own catalogue merged over the
host's, so the shared layout stays translated inside every program.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from babel import Locale
from flask import Blueprint, Flask, Response, current_app, g, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale, refresh
from werkzeug.datastructures import LanguageAccept

from bawaba_sdk.formatting import JINJA_FILTERS
from bawaba_sdk.i18n import SUPPORTED_LANGUAGES, RequestCachedDomain, TranslationDomain, request_translations

from .redirects import safe_next_url

HOST_TRANSLATIONS = Path(__file__).parent / "translations"
HOST_DOMAIN = "messages"
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
RTL_LANGUAGES = frozenset({"ar"})
UI_LOCALES = "ui_locales"
"""The query parameter (and form field) by which an app asks for the language of a flow's pages."""
FLOW_LANGUAGE_KEY = "flow_language"
"""Session key: the language a sign-in flow was asked for; the new session at sign-in drops it."""
MAX_UI_LOCALES_LENGTH = 200
LOCALES = {code: Locale.parse(code) for code in SUPPORTED_LANGUAGES}

language_blueprint = Blueprint("language", __name__)


def select_language() -> str:
    """The language of this request (see the module docstring for the order)."""
    chosen = g.get("gateway_flow_language")
    if chosen in SUPPORTED_LANGUAGES:
        return str(chosen)
    return choose_language(
        request.cookies.get(LANGUAGE_COOKIE, ""),
        request.accept_languages,
        str(current_app.config["GATEWAY_DEFAULT_LANGUAGE"]),
    )


def choose_language(cookie: str, accepted: LanguageAccept, default: str) -> str:
    """The rule itself, without a request (the page cache applies it before Flask sees the request)."""
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    return accepted.best_match(SUPPORTED_LANGUAGES) or default


def language_from_ui_locales(value: str | None) -> str | None:
    """The first supported language of a space-separated ``ui_locales`` list (``"fr-CA en-GB ar"`` → ``en``)."""
    if not value or len(value) > MAX_UI_LOCALES_LENGTH:
        return None
    for tag in value.split():
        primary = tag.split("-", 1)[0].lower()
        if primary in SUPPORTED_LANGUAGES:
            return primary
    return None


def honour_ui_locales(value: str | None, *, remember: bool = False) -> str | None:
    """Show this request's page in the language ``ui_locales`` asks for, if any is supported.

    ``remember`` keeps it for the rest of the sign-in flow (the pages that
    call :func:`use_flow_language`), or forgets an earlier flow's when none
    is asked for; signing in starts a new session, which ends it. Returns the
    language used, or ``None``.
    """
    language = language_from_ui_locales(value)
    if language is None:
        if remember:
            session.pop(FLOW_LANGUAGE_KEY, None)
        return None
    g.gateway_flow_language = language
    refresh()
    if remember:
        session[FLOW_LANGUAGE_KEY] = language
    return language


def use_flow_language() -> str | None:
    """On a page of the sign-in flow, the language an app asked for when the flow began (if any)."""
    language = session.get(FLOW_LANGUAGE_KEY)
    if language not in SUPPORTED_LANGUAGES:
        return None
    g.gateway_flow_language = language
    refresh()
    return str(language)


def without_ui_locales(target: str) -> str:
    """``target`` without its ``ui_locales`` parameter: the person's own choice of language wins."""
    parts = urlsplit(target)
    if UI_LOCALES not in parts.query:
        return target
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != UI_LOCALES]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _selected_locale() -> Locale:
    """The request's language as a parsed ``Locale``: Babel parses a code anew (with a file check) every time."""
    return LOCALES[select_language()]


def init_i18n(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(HOST_TRANSLATIONS)
    app.config["BABEL_DOMAIN"] = HOST_DOMAIN
    babel = Babel(app, locale_selector=_selected_locale, default_locale=app.config["GATEWAY_DEFAULT_LANGUAGE"])
    # Translations looked up once per request, not once per string (see RequestCachedDomain), for the host's
    # domain and for templates' _() and ngettext().
    babel.domain_instance = RequestCachedDomain(domain=HOST_DOMAIN)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.register_blueprint(language_blueprint)
    app.context_processor(_language_context)
    # Figures, dates, times and countries, in the page's language, on the host's pages and the plugins'.
    app.jinja_env.filters.update(JINJA_FILTERS)

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        response.vary.update(("Accept-Language", "Cookie"))  # one rewrite of the header, not two
        return response


def _language_context() -> dict[str, object]:
    language = language_code()
    return {
        "current_language": language,
        "text_direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "other_languages": [code for code in SUPPORTED_LANGUAGES if code != language],
        "language_names": {"ar": "العربية", "en": "English"},
    }


def language_code() -> str:
    locale = get_locale()
    return locale.language if locale is not None else SUPPORTED_LANGUAGES[0]


def use_plugin_translations(app: Flask, blueprint_name: str, translations: TranslationDomain) -> None:
    """Render ``blueprint_name``'s pages with the plugin's catalogue merged over the host's."""
    merged = RequestCachedDomain(
        translation_directories=[str(HOST_TRANSLATIONS), str(translations.directory)],
        domain=f"{HOST_DOMAIN};{translations.domain}",
    )

    def set_plugin_domain() -> None:
        merged.as_default()

    app.before_request_funcs.setdefault(blueprint_name, []).insert(0, set_plugin_domain)


@language_blueprint.post("/language")
def switch_language() -> ResponseReturnValue:
    """Remember the chosen language in a cookie and go back where the person was."""
    language = request.form.get("language", "")
    target = safe_next_url(request.form.get("next"))
    if language in SUPPORTED_LANGUAGES:
        # A language chosen by hand replaces the one an app asked for (ui_locales) for the rest of the flow.
        target = without_ui_locales(target)
        session.pop(FLOW_LANGUAGE_KEY, None)
    response = redirect(target, code=303)
    if language in SUPPORTED_LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
        )
    return response
