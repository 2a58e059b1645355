"""The monthly cycle: its calendar, each approved household paid or suspended once a month, the statements.

Households are real sandbox households whose heads fill in and confirm their
unified profile through the host's pages (the kit's ``fill_record``); the
cycle then runs for December 2026 with the month's parameters.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

import bawaba_sdk as sdk
from bawaba_sdk.testing.jobs import job_names, run_job
from bawaba_sdk.testing.records import fill_record
from bawaba_social_security import cycle as cycle_module
from bawaba_social_security.calendar_days import cycle_day, parse_days, parse_weekend
from bawaba_social_security.cycle import BAD_PROFILE, NO_PROFILE, NOT_ELIGIBLE, run_cycle
from bawaba_social_security.household import sandbox_households
from bawaba_social_security.payments_db import PAID, SUSPENDED, MonthlyEntitlement

SLUG, PROFILE = "social_security", "profile"
DECEMBER = date(2026, 12, 1)
HOUSEHOLDS = {household.key: household for household in sandbox_households()}
ORDER = ("personal", "housing", "income", "education", "employment", "licences", "property", "dependents")
FRI_SAT = parse_weekend("fri,sat")


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


@pytest.fixture
def app(make_portal: Callable[..., Any]) -> Any:
    return make_portal(plugins=SLUG)


def confirmed(app: Any, sign_in_as: Any, key: str) -> tuple[Any, int]:
    """The head's signed-in client and owner id, once the household's profile is confirmed."""
    household = HOUSEHOLDS[key]
    client = sign_in_as(app, household.head)
    client.set_cookie("lang", "en")
    fill_record(client, SLUG, PROFILE, {section: household.profile[section] for section in ORDER})
    with app.app_context():
        owner = sdk.record_holder(SLUG, PROFILE, household.head)
    assert owner is not None
    return client, owner


def months(app: Any) -> list[MonthlyEntitlement]:
    with app.app_context():
        return list(sdk.db_session().query(MonthlyEntitlement).order_by(MonthlyEntitlement.owner_id).all())


def cycle(app: Any, owners: list[int], month: date = DECEMBER) -> Any:
    with app.app_context():
        return run_cycle(sdk.db_session(), month, owners=owners)


@pytest.mark.parametrize(
    ("month", "weekend", "holidays", "expected"),
    [
        (date(2026, 12, 1), "fri,sat", "", date(2026, 12, 1)),  # a Tuesday
        (date(2027, 1, 1), "fri,sat", "", date(2027, 1, 3)),  # a Friday: Sunday the 3rd
        (date(2027, 1, 1), "fri,sat", "2027-01-03", date(2027, 1, 4)),  # and a holiday on the Sunday
        (date(2026, 5, 1), "sat,sun", "", date(2026, 5, 1)),  # another weekend: Friday is a working day
        (date(2026, 12, 1), "fri,sat", "2026-12-01,2026-12-02", date(2026, 12, 3)),
    ],
)
def test_the_cycle_day_is_the_first_working_day_of_the_month(
    month: date, weekend: str, holidays: str, expected: date
) -> None:
    assert cycle_day(month, parse_weekend(weekend), parse_days(holidays)) == expected


@pytest.mark.parametrize(("setting", "value"), [("WEEKEND_DAYS", "friday,someday"), ("NON_WORKING_DAYS", "2026-13-01")])
def test_a_bad_calendar_stops_the_boot_naming_the_variable(
    make_portal: Callable[..., Any], setting: str, value: str
) -> None:
    with pytest.raises(Exception, match=f"GATEWAY_SOCIAL_SECURITY_{setting}"):
        make_portal(plugins=SLUG, **{f"SOCIAL_SECURITY_{setting}": value})


def test_each_household_is_paid_or_suspended_once_with_its_explanation(app: Any, sign_in_as: Any) -> None:
    _client, family = confirmed(app, sign_in_as, "eligible_family")
    _client, cap = confirmed(app, sign_in_as, "cap")
    _client, care = confirmed(app, sign_in_as, "care_centre")
    nobody = 987654  # approved, but never confirmed a profile

    report = cycle(app, [family, cap, care, nobody])
    assert (report.added, report.paid, report.suspended) == (4, 2, 2)
    rows = {row.owner_id: row for row in months(app)}
    assert (rows[family].status, rows[family].amount) == (PAID, Decimal("460.00"))
    assert (rows[cap].status, rows[cap].amount) == (PAID, Decimal("5000.00"))
    assert (rows[care].status, rows[care].reason) == (SUSPENDED, NOT_ELIGIBLE)
    assert (rows[nobody].status, rows[nobody].reason, rows[nobody].explanation) == (SUSPENDED, NO_PROFILE, None)
    stored = sdk.Explanation.from_storage(rows[family].explanation or {})
    assert stored.amount == Decimal("460.00") and stored.eligible
    assert rows[family].profile_version_id is not None and rows[family].month == DECEMBER

    again = cycle(app, [family, cap, care, nobody])  # a second run, or one resumed after a crash
    assert (again.added, again.paid, again.suspended) == (0, 0, 0)
    assert len(months(app)) == 4


def test_a_run_interrupted_halfway_is_finished_by_the_next_without_paying_twice(app: Any, sign_in_as: Any) -> None:
    _client, family = confirmed(app, sign_in_as, "eligible_family")
    _client, cap = confirmed(app, sign_in_as, "cap")
    with app.app_context():
        db = sdk.db_session()
        db.add(MonthlyEntitlement(owner_id=family, month=DECEMBER, status="pending"))  # claimed, never assessed
        db.add(MonthlyEntitlement(owner_id=cap, month=DECEMBER, status=PAID, amount=Decimal("5000.00")))
        db.commit()
    report = cycle(app, [family, cap])
    assert (report.added, report.paid) == (0, 1)
    rows = {row.owner_id: row for row in months(app)}
    assert rows[family].amount == Decimal("460.00") and rows[cap].explanation is None  # the paid month untouched


def test_a_later_profile_change_counts_from_the_next_month(app: Any, sign_in_as: Any) -> None:
    client, family = confirmed(app, sign_in_as, "eligible_family")
    cycle(app, [family])
    profile = HOUSEHOLDS["eligible_family"].profile
    fill_record(client, SLUG, PROFILE, {"income": {"rows": []}, **{s: profile[s] for s in ORDER if s != "income"}})
    cycle(app, [family], date(2027, 1, 1))
    december, january = sorted(months(app), key=lambda row: row.month)
    assert december.amount == Decimal("460.00")
    assert january.amount is not None and january.amount > december.amount
    assert january.profile_version_id != december.profile_version_id


def test_the_payment_history_and_each_statement_in_both_languages(app: Any, sign_in_as: Any) -> None:
    client, family = confirmed(app, sign_in_as, "eligible_family")
    cycle(app, [family])

    history = client.get("/social_security/payments")
    assert history.status_code == 200
    assert "December 2026" in text_of(history) and "460.00 SAR" in text_of(history)
    statement = client.get("/social_security/payments/2026-12")
    assert statement.status_code == 200
    page = text_of(statement)
    assert "Statement for December 2026" in page and "Calculated minimum for the head of household" in page
    client.set_cookie("lang", "ar")
    arabic = client.get("/social_security/payments/2026-12")
    assert 'lang="ar"' in arabic.get_data(as_text=True) and "ديسمبر 2026" in text_of(arabic)

    assert client.get("/social_security/payments/2027-01").status_code == 404
    assert client.get("/social_security/payments/2026-13").status_code == 404
    other = sign_in_as(app, HOUSEHOLDS["cap"].head)  # nobody reads another household's statement
    assert other.get("/social_security/payments/2026-12").status_code == 404
    assert app.test_client().get("/social_security/payments").status_code in (302, 303)


def test_the_job_is_the_host_s_and_waits_for_the_cycle_day(app: Any, make_portal: Callable[..., Any]) -> None:
    assert "social_security.monthly_cycle" in job_names(app)
    run_job(app, "social_security.monthly_cycle", slot=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    assert months(app) == []  # nobody approved yet: nothing to pay


def test_a_profile_the_rules_cannot_read_is_suspended_with_its_reason(app: Any, sign_in_as: Any) -> None:
    _client, family = confirmed(app, sign_in_as, "eligible_family")
    cycle(app, [family], date(2020, 1, 1))  # before the programme's rules: the situation is refused
    (row,) = months(app)
    assert (row.status, row.reason) == (SUSPENDED, BAD_PROFILE)


def test_several_workers_at_once_share_the_month_and_pay_each_household_once(
    app: Any, sign_in_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four threads (each its own app context and connection) run the same month; PostgreSQL only."""
    with app.app_context():
        if sdk.db_session().get_bind().dialect.name != "postgresql":
            pytest.skip("several workers at once is the PostgreSQL deployment (SKIP LOCKED); SQLite has one writer")
    _client, family = confirmed(app, sign_in_as, "eligible_family")
    _client, cap = confirmed(app, sign_in_as, "cap")
    owners = [family, cap, *range(900_000, 900_200)]  # and 200 approved households without a profile
    monkeypatch.setattr(cycle_module, "BATCH", 7)  # small batches, so the workers interleave
    reports: list[Any] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            reports.append(cycle(app, owners))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(report.added for report in reports) == len(owners)
    assert sum(report.paid + report.suspended for report in reports) == len(owners)
    rows = months(app)
    assert len(rows) == len(owners) == len({row.owner_id for row in rows})
    assert {row.owner_id: row.amount for row in rows if row.status == PAID} == {
        family: Decimal("460.00"),
        cap: Decimal("5000.00"),
    }
