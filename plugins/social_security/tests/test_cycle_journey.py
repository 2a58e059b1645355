"""From the confirmed profile to the first payments: apply, approval, the scheduled job on its cycle days.

The household applies through the real form, is approved through its
workflow (the kit's ``move_application``), and the host's scheduled job
``social_security.monthly_cycle`` is run for chosen slots (the kit's
``run_job``) as ``gateway worker`` would run it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from io import BytesIO
from typing import Any

import pytest

from bawaba_sdk.testing.applications import move_application
from bawaba_sdk.testing.forms import FormWalk
from bawaba_sdk.testing.jobs import run_job
from bawaba_sdk.testing.records import fill_record
from bawaba_social_security.household import sandbox_households

SLUG, PROFILE, SERVICE, JOB = "social_security", "profile", "apply", "social_security.monthly_cycle"
FAMILY = next(household for household in sandbox_households() if household.key == "eligible_family")
ORDER = ("personal", "housing", "income", "education", "employment", "licences", "property", "dependents")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def slot(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=SLUG, SOCIAL_SECURITY_NON_WORKING_DAYS="2027-01-03")


def approved_family(app: Any, sign_in_as: Any) -> Any:
    client = sign_in_as(app, FAMILY.head)
    client.set_cookie("lang", "en")
    fill_record(client, SLUG, PROFILE, {section: FAMILY.profile[section] for section in ORDER})
    walk = FormWalk(client, SLUG, SERVICE, language="en")
    walk.start()
    walk.fill("declaration", {"accurate": "y"})
    walk.fill("documents", {"rent_contract": (BytesIO(PDF), "rent.pdf"), "disability_report": (BytesIO(PDF), "r.pdf")})
    reference = walk.submit()
    move_application(app, reference, "in_review")
    move_application(app, reference, "home_visit_scheduled", comment="Visit on Sunday 13 December, 10:00.")
    move_application(app, reference, "home_visit_done", comment="As the profile says.")
    assert move_application(app, reference, "approved").state == "approved"
    return client


def test_an_approved_household_is_paid_on_each_cycle_day_once(app: Any, sign_in_as: Any) -> None:
    client = approved_family(app, sign_in_as)
    assert "No month has been assessed yet" in text_of(client.get("/social_security/payments"))

    run_job(app, JOB, slot=slot(2026, 12, 1))  # a Tuesday: December's cycle day
    run_job(app, JOB, slot=slot(2026, 12, 2))  # the next daily run finds the month done
    page = text_of(client.get("/social_security/payments"))
    assert page.count("460.00 SAR") == 1 and "December 2026" in page

    run_job(app, JOB, slot=slot(2027, 1, 1))  # a Friday, then a Saturday, then the configured holiday
    run_job(app, JOB, slot=slot(2027, 1, 2))
    run_job(app, JOB, slot=slot(2027, 1, 3))
    assert "January 2027" not in text_of(client.get("/social_security/payments"))
    run_job(app, JOB, slot=slot(2027, 1, 4))  # Monday: January's cycle day
    page = text_of(client.get("/social_security/payments"))
    assert "January 2027" in page and page.count("460.00 SAR") == 2

    statement = text_of(client.get("/social_security/payments/2027-01"))
    assert "Statement for January 2027" in statement and "460.00 SAR" in statement
