"""Read a program's page the way a visitor does: in a language, service by service.

Every program page is rendered by the host's shared ``program.html`` layout,
so the checks a plugin's tests make on it are the same for every plugin:
the page is served in the language the visitor asked for (Arabic and right
to left unless they asked otherwise), it names the program and each of its
services exactly, and it never shows the other language's names by mistake.
Writing those checks once here keeps each plugin's tests down to what is its
own: its names, its texts, its settings.

The checks return lists of readable problems (an empty list means all is
well), like :func:`bawaba_sdk.testing.catalogues.catalogue_problems`, so a test says
``assert problems(...) == []`` and a failure shows every problem at once.

Example::

    PAGE = ProgramPage(
        url="/parks/",
        name={"en": "Parks", "ar": "الحدائق"},
        services={"permit": {"en": "Picnic permit", "ar": "تصريح نزهة"}},
    )

    def test_page_is_arabic_by_default(make_portal):
        client = make_portal(plugins="parks").test_client()
        assert PAGE.problems(fetch(client, PAGE.url), "ar") == []
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from flask.testing import FlaskClient

LANGUAGE_COOKIE = "lang"
"""The cookie the portal's language switch sets; it wins over ``Accept-Language``."""

RIGHT_TO_LEFT = frozenset({"ar"})
"""Languages the portal writes right to left (``<html dir="rtl">``)."""

COMING_SOON = "coming to the portal soon"
"""Part of the English notice the layout puts under a service that has no online form yet."""

_SERVICE_TITLE = re.compile(r'id="service-(\w+)">\s*<h3 class="service__title">(.*?)</h3>', re.DOTALL)
_HREF = re.compile(r'<a [^>]*href="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")
_CONTACT_SECTION = 'id="contact-title"'
_CONTACT_LINK = re.compile(r"(?:tel|mailto):[^\"'\s<>]*")


def fetch(
    client: FlaskClient, url: str, language: str | None = None, *, via: Literal["header", "cookie"] = "header"
) -> str:
    """The HTML of ``url``, asking for ``language`` the way a visitor would.

    ``via="header"`` sends ``Accept-Language`` (the browser's preference);
    ``via="cookie"`` sets the language switch's cookie on the client first, so
    it also applies to the client's later requests. Without a language, the
    portal's default applies. Anything but ``200 OK`` fails the test here,
    so an error page is never mistaken for the page under test.
    """
    headers: dict[str, str] = {}
    if language and via == "cookie":
        client.set_cookie(LANGUAGE_COOKIE, language)
    elif language:
        headers["Accept-Language"] = language
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} ({language or 'default language'} via {via}): {response.status}")
    return response.get_data(as_text=True)


def service_titles(html: str) -> dict[str, str]:
    """Each service's slug -> the HTML inside its heading on the program page, in page order.

    The HTML (not just its text) is kept so a test can see whether a title is a link.
    """
    return {slug: title.strip() for slug, title in _SERVICE_TITLE.findall(html)}


def service_links(html: str) -> dict[str, str]:
    """Each linked service's slug -> the address its title links to (unlinked services are left out)."""
    links = {}
    for slug, title in service_titles(html).items():
        found = _HREF.search(title)
        if found:
            links[slug] = found.group(1)
    return links


def _title_text(title: str) -> str:
    return _TAG.sub("", title).strip()


def service_item(html: str, slug: str) -> str:
    """The HTML of one service's list item (up to the next service), to check what it says about itself.

    Raises ``ValueError`` when the page has no such service.
    """
    start = html.index(f'id="service-{slug}"')
    end = html.find('<li class="service"', start)
    return html[start : end if end != -1 else len(html)]


def unlinked_service_problems(html: str, notice: str = COMING_SOON) -> list[str]:
    """Services that link to a page, or lack the notice that their online form is not there yet.

    For a program none of whose services has an online form (``Service``
    without an ``endpoint``): a link would lead the visitor to a page that
    does not exist, and without the notice they would not know why there is
    nothing to click. ``notice`` is a part of the notice in the page's language.
    """
    problems = []
    for slug, title in service_titles(html).items():
        if "<a" in title:
            problems.append(f"service {slug!r} is linked but has no online form")
        if notice not in service_item(html, slug):
            problems.append(f"service {slug!r} does not say {notice!r}")
    return problems


def contact_links(html: str) -> list[str]:
    """Every ``tel:`` and ``mailto:`` on the page, in order.

    A program must not show a phone number or address it was not given: a
    made-up one sends people to a stranger. Anything that merely starts like
    a link counts, so ``contact_links(html) == []`` means neither appears at all.
    """
    return _CONTACT_LINK.findall(html)


@dataclass(frozen=True)
class ProgramPage:
    """What a program's page must show, per language (``"ar"``, ``"en"``).

    ``name`` is the program's name; ``services`` maps each service's slug to
    its name, in the order the page lists them; ``texts`` holds, per language,
    further phrases the page must contain (conditions, notes the program adds).
    ``contacts`` lists the page's ``tel:``/``mailto:`` links in order; ``()``
    says the program publishes none, so the page must have no contact section
    and no such link at all (nothing invented); ``None`` leaves them unchecked.
    """

    url: str
    name: Mapping[str, str]
    services: Mapping[str, Mapping[str, str]]
    texts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    contacts: Sequence[str] | None = None

    def problems(self, html: str, language: str) -> list[str]:
        """Everything wrong with ``html`` as this program's page in ``language``.

        Checks the document's language and direction, the ``<h1>``, the exact
        service titles (their text: names, order, and nothing else; linked or not), the expected texts
        and contact links, and that no name of another language shows: a
        missing translation would otherwise let English through on the Arabic
        page unnoticed.
        """
        direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
        problems = []
        if f'<html lang="{language}" dir="{direction}"' not in html:
            problems.append(f'the page is not <html lang="{language}" dir="{direction}">')
        if f"<h1>{self.name[language]}</h1>" not in html:
            problems.append(f"no <h1>{self.name[language]}</h1>")
        titles = {slug: _title_text(title) for slug, title in service_titles(html).items()}
        expected = {slug: names[language] for slug, names in self.services.items()}
        if list(titles.items()) != list(expected.items()):
            problems.append(f"service titles are {titles}, expected {expected}")
        problems.extend(f"missing text: {text!r}" for text in self.texts.get(language, ()) if text not in html)
        if self.contacts is not None:
            problems.extend(_contact_problems(html, list(self.contacts)))
        for other in sorted(self.name.keys() - {language}):
            foreign = [self.name[other], *(names[other] for names in self.services.values())]
            problems.extend(f"{other} text on the {language} page: {text!r}" for text in foreign if text in html)
        return problems


def _contact_problems(html: str, expected: list[str]) -> list[str]:
    found = contact_links(html)
    problems = [] if found == expected else [f"contact links are {found}, expected {expected}"]
    if not expected and _CONTACT_SECTION in html:
        problems.append("the page has a contact section but the program publishes no contact")
    return problems


__all__ = [
    "COMING_SOON",
    "LANGUAGE_COOKIE",
    "RIGHT_TO_LEFT",
    "ProgramPage",
    "contact_links",
    "fetch",
    "service_item",
    "service_links",
    "service_titles",
    "unlinked_service_problems",
]
