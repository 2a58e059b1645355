"""The visa pages: who may apply, issued visas, following requests and the visa inquiry.

Every page shows the signed-in person their own records only: visas are
selected by the person's subject and requests come from
``sdk.applications_of``, which returns nobody else's. A lookup for anything
that is not theirs answers 404 with the same words as a lookup for something
that does not exist, so the page never confirms that someone else's request
or visa is there.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.validators import InvalidValue, gregorian_to_hijri, parse_national_id

from . import eligibility
from .i18n import _
from .saudi_time import local_date, today
from .visa_store import Visa, visa_for_application, visas_of
from .visas import NEW_VISA, nationality_label, worker_type_label
from .web import SLUG, bp


def hijri(day: datetime.date) -> str:
    """The Umm al-Qura date as ``YYYY-MM-DD``, or an empty string outside the table."""
    try:
        return gregorian_to_hijri(day).isoformat()
    except (InvalidValue, ValueError):
        return ""


def _person() -> sdk.PersonView:
    person = sdk.current_person()
    if person is None:  # login_required sees to it; this keeps the type checker honest
        sdk.abort(401)
    return person


def _helpers() -> dict[str, Any]:
    """What every visa template uses to show a visa and its dates."""
    return {
        "hijri": hijri,
        "local_date": local_date,
        "today": today(),
        "worker_type_label": worker_type_label,
        "nationality_label": nationality_label,
        "application_url": sdk.application_url,
    }


@bp.get("/eligibility")
@sdk.login_required
def visa_eligibility() -> Any:
    """Every condition of a visa request with the person's figures, and the way in when all are met."""
    person = _person()
    try:
        checks = eligibility.visa_checks(person)
    except sdk.RegistryUnavailable:
        return sdk.render_template(f"{SLUG}/eligibility_unavailable.html"), 503
    unmet = eligibility.failed(checks)
    return sdk.render_template(f"{SLUG}/eligibility.html", checks=checks, eligible=not unmet)


@bp.get("/visas")
@sdk.login_required
def issued_visas() -> Any:
    """The person's issued visas with their numbers, worker, nationality, dates and whether still valid."""
    person = _person()
    visas = visas_of(sdk.db_session(), person.subject)
    return sdk.render_template(f"{SLUG}/visa_list.html", visas=visas, **_helpers())


@bp.get("/requests")
@sdk.login_required
def follow_requests() -> Any:
    """The person's visa requests, newest first, each with its status and a link to follow it."""
    person = _person()
    requests = sdk.applications_of(SLUG, person, NEW_VISA.slug)
    return sdk.render_template(f"{SLUG}/visa_requests.html", requests=requests, **_helpers())


@bp.get("/inquiry")
@sdk.login_required
def visa_inquiry() -> Any:
    """Look up a visa by request number or by ID number: only ever the person's own."""
    person = _person()
    typed_reference = sdk.request.args.get("reference")
    typed_id = sdk.request.args.get("id_number")
    if typed_reference is not None and typed_reference.strip():
        return _by_reference(person, typed_reference[:200])
    if typed_id is not None and typed_id.strip():
        return _by_id_number(person, typed_id[:200])
    errors: dict[str, str] = {}
    if typed_reference is not None:
        errors["reference"] = _("Enter the request number, for example MSV-7KQ2X9PB.")
    elif typed_id is not None:
        errors["id_number"] = _("Enter your ID number: 10 digits.")
    return _inquiry_page(errors=errors, status=400 if errors else 200)


def _inquiry_page(status: int = 200, **context: Any) -> Any:
    values: dict[str, Any] = {
        "errors": {},
        "typed_reference": "",
        "typed_id": "",
        "found": None,
        "visa": None,
        "visas": None,
        **_helpers(),
    }
    values.update(context)
    return sdk.render_template(f"{SLUG}/visa_inquiry.html", **values), status


def _by_reference(person: sdk.PersonView, typed: str) -> Any:
    reference = sdk.normalise_reference(typed)
    if reference is None:
        message = _("Enter a request number like MSV-7KQ2X9PB: letters, a dash, then 8 characters.")
        return _inquiry_page(errors={"reference": message}, typed_reference=typed, status=400)
    found = next(
        (view for view in sdk.applications_of(SLUG, person, NEW_VISA.slug) if view.reference == reference), None
    )
    if found is None:
        message = _("No visa request with this number was found under your account. Check the number and try again.")
        return _inquiry_page(errors={"reference": message}, typed_reference=typed, status=404)
    visa = visa_for_application(sdk.db_session(), found.reference)
    if visa is not None and visa.person_subject != person.subject:  # never show a visa that is not theirs
        visa = None
    return _inquiry_page(found=found, visa=visa, typed_reference=reference)


def _by_id_number(person: sdk.PersonView, typed: str) -> Any:
    try:
        number = parse_national_id(typed).number
    except InvalidValue as exc:
        return _inquiry_page(errors={"id_number": str(exc.message)}, typed_id=typed, status=400)
    if number != person.id_number:
        message = _("No visa was found for this number under your account. You can look up only your own visas.")
        return _inquiry_page(errors={"id_number": message}, typed_id=typed, status=404)
    visas: Sequence[Visa] = visas_of(sdk.db_session(), person.subject)
    return _inquiry_page(visas=visas, typed_id=number)
