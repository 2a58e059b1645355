"""Who may use a service: the owning plugin's checks, asked before every page and on submission.

The rule is enforced where the form is served, not only where the service
is linked, so posting straight to a later step, the "check your answers"
page or the JSON API meets the same refusal. A refusal lists every check
with its figures and what to do, because "you cannot apply" alone helps
nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app, g, render_template
from flask.typing import ResponseReturnValue

from bawaba_sdk.eligibility import EligibilityCheck, failed_checks
from bawaba_sdk.identity import PersonView
from bawaba_sdk.registry import RegistryUnavailable

from ..hooks import HookFailed
from .flow import ServiceRef

logger = logging.getLogger("gateway.forms")

HOOK = "gateway_check_eligibility"


class EligibilityUnknown(Exception):  # noqa: N818 - the state, not a bug
    """The checks could not be made now (the registry is down, or the plugin failed)."""


def eligibility_checks(ref: ServiceRef, person: PersonView) -> list[EligibilityCheck]:
    """The owning plugin's checks for ``person`` (empty when the service has no conditions).

    :raises EligibilityUnknown: the registry cannot answer or the plugin raised;
        the person is told to try again later, never that they are not eligible.
    """
    cache: dict[tuple[str, str, int], list[EligibilityCheck]] = g.setdefault("eligibility_checks", {})
    key = (ref.plugin, ref.service.slug, person.id)
    if key in cache:  # asked twice in one request (the gate, then the first page's list)
        return cache[key]
    hooks = current_app.extensions["gateway"].plugins.hooks
    try:
        answer = hooks.check_eligibility(ref.plugin, program=ref.program, service=ref.service, person=person)
    except HookFailed as exc:  # logged and audited by the facade; the person is told to try later
        if isinstance(exc.error, RegistryUnavailable):
            raise EligibilityUnknown("registry unavailable") from exc
        raise EligibilityUnknown(f"plugin {ref.plugin} raised") from exc
    cache[key] = _valid_checks(ref, answer)
    return cache[key]


def _valid_checks(ref: ServiceRef, answer: object) -> list[EligibilityCheck]:
    if answer is None:
        return []
    if not isinstance(answer, Iterable) or isinstance(answer, str | bytes):
        raise EligibilityUnknown(f"plugin {ref.plugin} returned {type(answer).__name__} from {HOOK}")
    checks = list(answer)
    if not all(isinstance(check, EligibilityCheck) for check in checks):
        raise EligibilityUnknown(f"plugin {ref.plugin} returned something other than EligibilityCheck from {HOOK}")
    return checks


def refusal_page(ref: ServiceRef, person: PersonView) -> ResponseReturnValue | None:
    """``None`` when the person may go on; otherwise the page that says why not (403, or 503 when unknown)."""
    try:
        checks = eligibility_checks(ref, person)
    except EligibilityUnknown:
        return render_template("forms/eligibility_unknown.html", program=ref.program, service=ref.service), 503
    if not failed_checks(checks):
        return None
    return (
        render_template("forms/not_eligible.html", program=ref.program, service=ref.service, checks=checks),
        403,
    )
