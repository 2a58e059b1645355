"""What the injection tests type, and how they judge a page that shows it back.

A value is shown safely when the page holds its HTML-escaped form (so it
reads as typed), never its markup, and no template ever evaluated it. The
right-to-left override (U+202E) reverses the text after it, so a typed
``invoice\u202egnp.exe`` reads "invoiceexe.png"; that much the person could
type anyway, but outside an isolate it also reverses the page's own words up
to the end of the paragraph. Where the portal keeps such a character (it
strips it from most typed text) the value must end where its effect ends: in
a ``<bdi>``, a block of its own, or a form control's value.
"""

from __future__ import annotations

import re

from markupsafe import escape

SCRIPT = '<script>alert("bawaba")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7919*7907 }} ${7919*7907} #{7919*7907} <%= 7919*7907 %>"
EVALUATED = "62615533"
"""What any of the template expressions would have become (eight digits that no reference, bill number
or token on a page is likely to hold by chance, unlike a short product such as 1337)."""
SQL = "x' OR '1'='1'; DROP TABLE applications; --"
RLO = "\u202e"
OVERRIDE = f"pay{RLO}gnp.exe"

EVERYTHING = f"{SCRIPT} {ATTRIBUTE} {TEMPLATE} {SQL} {OVERRIDE}"
"""All at once, for fields that take 150 characters or more."""
SHORT = f"<script>x</script>{{{{7919*7907}}}}'--{RLO}ab"
"""For fields of 60 characters or fewer."""

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


def shown_safely(html: str, typed: str) -> list[str]:
    """Every way ``html`` fails to show ``typed`` safely (empty: safe).

    The portal has tags of its own (its emblem is an ``<img>``), so what is looked
    for is the payload's own tag as typed (``<img src=x``, ``<script>alert``); an
    escaped ``onerror=`` is harmless text.
    """
    problems = []
    for markup in ("<script", "<img", "<%="):
        if markup not in typed:
            continue
        start = typed.index(markup)
        raw_tag = typed[start : start + len(markup) + 6]  # the tag and the start of what follows it
        if raw_tag in html:
            problems.append(f"raw {markup!r} in the page")
    if "7919*7907" in typed and EVALUATED in html:
        problems.append("a template expression was evaluated")
    problems.extend(unconfined_overrides(html))
    return problems


def shows(html: str, typed: str) -> bool:
    """Whether ``html`` shows ``typed`` as text (escaped), bidi controls aside."""
    plain = without_bidi_controls(typed)
    return str(escape(plain)) in without_bidi_controls(html)


CONFINING_END = re.compile(
    r'"|</(?:bdi|td|th|dd|dt|li|p|div|textarea|option|h[1-6]|pre|blockquote|caption|summary|legend)>'
)
"""Where a typed value may end for a bidi control inside it to stay confined to it: the end of an
attribute (a form control's own text), a ``<textarea>``, a ``<bdi>``, or a block (a paragraph ends
every embedding and override)."""


def unconfined_overrides(html: str) -> list[str]:
    """Each bidi control whose effect could reach text of the portal's after the typed value.

    The typed value is escaped, so the first raw ``<`` or ``"`` after the
    control is where it ends; what comes next must close an isolate or a block.
    """
    problems = []
    for match in BIDI_CONTROLS.finditer(html):
        rest = html[match.end() :]
        end = min((index for index in (rest.find("<"), rest.find('"')) if index != -1), default=len(rest))
        if not CONFINING_END.match(rest, end):
            context = html[max(0, match.start() - 60) : match.end() + end + 30]
            problems.append(f"bidi control U+{ord(match.group()):04X} reaches the page's own text: {context!r}")
    return problems
