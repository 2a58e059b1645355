"""The SDK's test kit end to end, on the sample ``permits`` plugin, exactly as a plugin's suite uses it.

Staff signed in with a role, a declared form walked (errors, check, send), an
application moved through the back office and directly, its fee paid in the
sandbox, codes read from the outbox, periodic jobs run by name: each through
``bawaba_sdk.testing`` only (the host is reached through its entry point).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from bawaba_sdk.testing.applications import TransitionRefused, application, move_application, move_as_staff
from bawaba_sdk.testing.forms import FormWalk, page_errors, submit_form
from bawaba_sdk.testing.host_kit import BillView
from bawaba_sdk.testing.jobs import job_names, run_job, run_pending_tasks
from bawaba_sdk.testing.outbox import latest_code, latest_message, messages_to
from bawaba_sdk.testing.payments import bills, pay_application
from bawaba_sdk.testing.staff import sign_in_staff, staff_member
from tests.forms.conftest import BOAT, PERMITS
from tests.identity.conftest import AHMED, AHMED_MOBILE, GOOD_PASSWORD
from tests.sample_plugins import entry_points

AHMED_ID = "1000000008"
PERSONAL = {"email": "ahmed@example.com"}


@pytest.fixture
def app(make_portal: Callable[..., Flask]) -> Flask:
    portal: Flask = make_portal(
        plugins="permits",
        PLUGIN_ENTRY_POINTS=entry_points(permits=PERMITS),
        DEFAULT_LANGUAGE="en",
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
    )
    return portal


def sent_licence(app: Flask, sign_in_as: Callable[..., Any]) -> tuple[Any, str]:
    citizen = sign_in_as(app, AHMED_ID)
    return citizen, submit_form(citizen, "permits", "fishing_licence", {"personal": PERSONAL, "boat": BOAT})


def test_a_staff_member_has_their_role_in_their_program_only(
    app: Flask, sign_in_staff: Callable[..., Any], make_portal: Callable[..., Flask]
) -> None:
    reviewer = sign_in_staff(app, "permits", "reviewer", username="rana")
    assert staff_member(reviewer).username == "rana"
    assert reviewer.get("/backoffice/permits/queue").status_code == 200
    no_role = sign_in_staff(app)  # an account without any role
    assert no_role.get("/backoffice/permits/queue").status_code == 404
    assert app.test_client().get("/backoffice/permits/queue").status_code == 303  # not signed in: to sign-in
    with pytest.raises(ValueError, match="role"):
        sign_in_staff(app, "permits", "janitor")
    with pytest.raises(ValueError, match="nowhere"):
        sign_in_staff(app, "nowhere")
    with pytest.raises(RuntimeError, match="ENV=testing"):
        sign_in_staff(make_portal(ENV="development"), "permits")


def test_a_form_is_walked_step_by_step_with_its_errors(app: Flask, sign_in_as: Callable[..., Any]) -> None:
    walk = FormWalk(sign_in_as(app, AHMED_ID), "permits", "fishing_licence", language="en")
    assert walk.start().endswith("/apply/permits/fishing_licence/personal")
    assert list(walk.errors("personal", {"email": "not an address"})) == ["email"]
    assert walk.fill("personal", PERSONAL).endswith("/boat")
    # the plugin's own rule (gateway_validate_step), shown as the page shows it
    assert walk.errors("boat", {**BOAT, "length": "40"}) == {"has_crew": "A boat longer than 30 m needs a crew."}
    assert walk.fill("boat", BOAT).endswith("/check")
    assert "Al Bahr" in walk.check()
    reference = walk.submit()
    assert reference.startswith("PRM")
    assert application(app, reference).answers["boat"]["boat_name"] == "Al Bahr"
    with pytest.raises(AssertionError, match="has_crew"):
        FormWalk(walk.client, "permits", "fishing_licence").fill("boat", {**BOAT, "length": "40"})
    assert page_errors("<p>no summary</p>") == {}


def test_the_fee_is_billed_and_paid_in_the_sandbox(app: Flask, sign_in_as: Callable[..., Any]) -> None:
    citizen, reference = sent_licence(app, sign_in_as)
    [bill] = bills(app, reference)
    assert (bill.amount, bill.status) == (Decimal("150.00"), "unpaid")
    assert pay_application(citizen, reference) == BillView(bill.number, Decimal("150.00"), "paid")
    assert application(app, reference).state == "fee_paid"  # the workflow's on_payment move
    with pytest.raises(AssertionError, match="no unpaid bill"):
        pay_application(citizen, reference)


def test_an_application_moves_through_the_back_office_and_directly(app: Flask, sign_in_as: Callable[..., Any]) -> None:
    citizen, reference = sent_licence(app, sign_in_as)
    with pytest.raises(TransitionRefused):
        move_application(app, reference, "in_review")  # the fee is not paid yet
    pay_application(citizen, reference)
    assert move_application(app, reference, "in_review").state == "in_review"
    reviewer = sign_in_staff(app, "permits")
    move_as_staff(reviewer, reference, "fee_paid", status=409)  # not a move of this workflow from here
    move_as_staff(reviewer, reference, "approved")
    assert application(app, reference).state == "approved"
    with pytest.raises(TransitionRefused):
        move_application(app, reference, "withdrawn", by="citizen")
    outsider = sign_in_staff(app)
    move_as_staff(outsider, reference, "rejected", status=404)


def test_codes_are_read_from_the_outbox_by_number_or_by_person(app: Flask) -> None:
    client = app.test_client()
    assert client.post("/account/register", data=AHMED).status_code == 303
    with pytest.raises(LookupError, match="not a person of the portal"):
        latest_code(app, person=AHMED_ID)  # not registered yet
    assert client.post("/account/register/code", data={"code": latest_code(app, AHMED_MOBILE)}).status_code == 303
    details = {
        "username": "ahmed84",
        "password": GOOD_PASSWORD,
        "password_confirmation": GOOD_PASSWORD,
        "email": "ahmed@example.com",
        "mobile": "0501234567",
    }
    assert client.post("/account/register/details", data=details).status_code == 303
    other = app.test_client()
    assert other.post("/account/sign-in", data={"identifier": AHMED_ID, "password": GOOD_PASSWORD}).status_code == 303
    code = latest_code(app, person=AHMED_ID)
    assert latest_message(app, person=AHMED_ID).order == messages_to(app, AHMED_MOBILE)[-1].order
    assert other.post("/account/sign-in/code", data={"code": code}).status_code == 303
    with pytest.raises(AssertionError, match="no message"):
        latest_code(app, "+966500000000")


def test_a_periodic_job_runs_by_name(app: Flask) -> None:
    from gateway.tasks import register_periodic_job  # the host's seam, as the host registers a plugin's job

    slots: list[datetime] = []
    register_periodic_job(app, "permits.reminders", "off", slots.append)
    assert {"housekeeping", "permits.reminders"} <= set(job_names(app))
    run_job(app, "permits.reminders", slot=datetime(2026, 12, 1, 6, 30, tzinfo=UTC))
    assert slots == [datetime(2026, 12, 1, 6, 30, tzinfo=UTC)]
    with pytest.raises(LookupError, match="housekeeping"):
        run_job(app, "permits.nothing")
    assert run_pending_tasks(app) >= 0
