"""One isolation policy for every hook: a plugin raising anywhere never makes a 500, and the other programs work.

The sample plugin ``brittle`` raises in the hooks the test names: in all of
them (it is disabled at start-up), or in one at a time. Then the portal's
pages are walked (the program's page, its form, the check page, sending, the
back office, a person's change, demo data) and none may answer 500, the
failure is audited, and the ``permits`` program is used from start to end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from bawaba_sdk import hookspecs
from bawaba_sdk.testing.applications import move_as_staff
from bawaba_sdk.testing.forms import FormWalk, submit_form
from bawaba_sdk.testing.staff import sign_in_staff
from gateway.audit.models import AuditEvent
from gateway.demo import load_demo_data
from gateway.hooks import AUDIT_EVENT
from gateway.identity.people import announce_change, person_by_id_number
from gateway.plugin_manager import PluginStatus
from tests.forms.conftest import BOAT, PERMITS
from tests.sample_plugins import entry_points, raising_everywhere

BRITTLE = "tests.sample_plugins.raising_everywhere"
BOOT_HOOKS = {
    "gateway_register_program",
    "gateway_register_settings",
    "gateway_register_parameters",
    "gateway_register_calculations",
    "gateway_register_records",
    "gateway_register_jobs",
    "gateway_register_database",
    "gateway_register_blueprint",
    "gateway_startup",
}
ALL_HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("gateway_"))


def test_the_sample_raises_in_every_hook_there_is() -> None:
    assert set(ALL_HOOKS) == raising_everywhere.ALL_HOOKS


@pytest.fixture
def raising(request: pytest.FixtureRequest) -> Iterator[set[str]]:
    yield raising_everywhere.RAISE_IN
    raising_everywhere.RAISE_IN.clear()
    raising_everywhere.RAISE_IN.update(raising_everywhere.ALL_HOOKS)


def portal(make_portal: Callable[..., Flask]) -> Flask:
    app: Flask = make_portal(
        plugins="brittle,permits",
        PLUGIN_ENTRY_POINTS=entry_points(brittle=BRITTLE, permits=PERMITS),
        PLUGINS_STRICT=False,
        DEFAULT_LANGUAGE="en",
    )
    return app


def permits_still_work(app: Flask, sign_in_as: Callable[..., Any]) -> None:
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/permits/").status_code == 200
    citizen = sign_in_as(app, "2000000006")
    steps = {"personal": {"email": "r@example.com"}, "boat": BOAT}
    reference = submit_form(citizen, "permits", "fishing_licence", steps)
    assert reference.startswith("PRM")


def audited_hooks(app: Flask) -> set[str]:
    with app.extensions["gateway"].database.session_factory() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.event == AUDIT_EVENT)).all()
        return {str(event.details["hook"]) for event in events if event.actor == "plugin:brittle"}


def test_a_plugin_raising_in_every_hook_is_disabled_and_the_others_serve(
    make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any], raising: set[str]
) -> None:
    app = portal(make_portal)
    assert app.extensions["gateway"].plugins.records["brittle"].status is PluginStatus.FAILED
    assert app.test_client().get("/brittle/").status_code == 404
    permits_still_work(app, sign_in_as)


@pytest.mark.parametrize("hook", sorted(BOOT_HOOKS))
def test_a_start_up_hook_raising_disables_only_that_plugin(
    hook: str, make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any], raising: set[str]
) -> None:
    raising.clear()
    raising.add(hook)
    app = portal(make_portal)
    record = app.extensions["gateway"].plugins.records["brittle"]
    assert record.status is PluginStatus.FAILED and hook in record.reason
    # shown unavailable once its program is known (503), unknown before that (404); never served, never a 500
    assert app.test_client().get("/brittle/hello").status_code == (404 if hook == "gateway_register_program" else 503)
    permits_still_work(app, sign_in_as)


@pytest.mark.parametrize("hook", sorted(set(ALL_HOOKS) - BOOT_HOOKS))
def test_a_request_time_hook_raising_is_never_a_500(
    hook: str, make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any], raising: set[str]
) -> None:
    raising.clear()
    raising.add(hook)
    app = portal(make_portal)
    assert app.extensions["gateway"].plugins.records["brittle"].serving
    citizen = sign_in_as(app, "1000000008")
    answers: dict[str, int] = {}
    answers["program page"] = citizen.get("/brittle/").status_code
    answers["its own page"] = citizen.get("/brittle/hello").status_code
    walk = FormWalk(citizen, "brittle", "request")
    answers["start"] = citizen.get(walk.base).status_code
    answers["step"] = walk.post_step("about", {"note": "please"}).status_code
    check = citizen.get(walk.base + "check")
    answers["check"] = check.status_code
    sent = None
    if check.status_code == 200:
        key = check.get_data(as_text=True).split('name="submission_key" value="')[1].split('"')[0]
        sent = citizen.post(walk.base + "check", data={"submission_key": key})
        answers["send"] = sent.status_code
    api = citizen.get("/api/v1/programs", headers={"Accept": "application/json"})
    answers["api"] = api.status_code
    if sent is not None and sent.status_code == 303:
        reference = sent.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        move_as_staff(sign_in_staff(app, "brittle"), reference, "in_review", status=303)
    with app.test_request_context("/"), app.extensions["gateway"].database.session_factory() as db:
        person = person_by_id_number(db, "1000000008")
        assert person is not None
        told = announce_change(app.extensions["gateway"].plugins, person, {"email"})
    report = load_demo_data(app.extensions["gateway"])
    assert 500 not in answers.values(), answers
    if hook == "gateway_validate_step":
        assert answers["step"] == 503
        assert hook in audited_hooks(app)
    if hook == "gateway_check_eligibility":
        assert answers["start"] != 303  # the person is told to try later, not let in
    if hook in {"gateway_application_fee", "gateway_application_transitioned"}:
        assert answers["send"] == 503
        assert hook in audited_hooks(app)
    assert told == (["brittle"] if hook == "gateway_person_changed" else [])
    assert any(line.startswith("brittle: FAILED") for line in report) == (hook == "gateway_load_demo_data")
    permits_still_work(app, sign_in_as)


def test_the_503_is_in_the_visitors_language(
    make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any], raising: set[str]
) -> None:
    raising.clear()
    raising.add("gateway_validate_step")
    app = portal(make_portal)
    walk = FormWalk(sign_in_as(app, "1000000008"), "brittle", "request", language="ar")
    walk.start()
    page = walk.post_step("about", {"note": "please"})
    assert page.status_code == 503
    assert '<html lang="ar" dir="rtl"' in page.get_data(as_text=True)
    assert "This service is temporarily unavailable" not in page.get_data(as_text=True)
    assert hook_failures(app) == ["gateway_validate_step"]


def hook_failures(app: Flask) -> list[str]:
    with app.extensions["gateway"].database.session_factory() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.event == AUDIT_EVENT)).all()
        return [str(event.details["hook"]) for event in events]
