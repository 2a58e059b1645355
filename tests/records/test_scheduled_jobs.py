"""``gateway_register_jobs``: a plugin's scheduled job registered on the host's task queue and run for a slot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo

import bawaba_sdk as sdk
from bawaba_sdk.testing.jobs import job_names, run_job
from gateway.applications.models import Application
from gateway.cli import cli
from gateway.identity.models import Person
from gateway.tasks import get_tasks
from tests.sample_plugins import TENANCY, entry_points, tenancy

SLOT = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clean() -> Any:
    tenancy.RUNS.clear()
    tenancy.JOBS_ANSWER.clear()
    yield
    tenancy.RUNS.clear()
    tenancy.JOBS_ANSWER.clear()


def portal(make_app: Callable[..., Flask], **config: Any) -> Flask:
    return make_app(PLUGINS="tenancy", PLUGIN_ENTRY_POINTS=entry_points(tenancy=TENANCY), **config)


def test_the_job_is_on_the_queue_under_the_program_s_name_with_the_setting_s_schedule(
    make_app: Callable[..., Flask],
) -> None:
    app = portal(make_app, TENANCY_CENSUS_SCHEDULE="30 5 2 * *")
    assert "tenancy.census" in job_names(app)
    job = get_tasks(app).periodic["tenancy.census"]
    assert str(job.schedule) == "30 5 2 * *" and job.description == "count households"
    assert job.schedule.matches(datetime(2026, 12, 2, 5, 30, tzinfo=UTC))
    assert not job.schedule.matches(datetime(2026, 12, 1, 5, 30, tzinfo=UTC))


def test_run_job_runs_it_in_the_app_for_the_slot_given_and_a_repeat_changes_nothing(
    make_app: Callable[..., Flask],
) -> None:
    app = portal(make_app)
    run_job(app, "tenancy.census", slot=SLOT)
    run_job(app, "tenancy.census", slot=SLOT)
    assert tenancy.RUNS == [(SLOT, "0 4 1 * *")]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (["census"], "sdk.ScheduledJob"),
        ([tenancy.CENSUS, tenancy.CENSUS], "declared twice"),
        ([sdk.ScheduledJob(name="later", run=tenancy.census, schedule="61 * * * *")], "later"),
        ([sdk.ScheduledJob(name="later", run=tenancy.census, setting="nothing")], "no setting 'nothing'"),
    ],
)
def test_a_plugin_declaring_a_bad_job_is_disabled(make_app: Callable[..., Flask], answer: Any, reason: str) -> None:
    tenancy.JOBS_ANSWER.append(answer)
    app = portal(make_app)
    record = app.extensions["gateway"].plugins.records["tenancy"]
    assert not record.serving and reason in record.reason
    assert "tenancy.census" not in job_names(app)


def test_a_job_declaration_is_checked() -> None:
    with pytest.raises(sdk.DeclarationError):
        sdk.ScheduledJob(name="x", run=tenancy.census, schedule="* * * * *")
    with pytest.raises(sdk.DeclarationError):
        sdk.ScheduledJob(name="cycle", run=tenancy.census)
    with pytest.raises(sdk.DeclarationError):
        sdk.ScheduledJob(name="cycle", run=tenancy.census, schedule="* * * * *", setting="cycle")


def test_an_operator_runs_a_job_for_a_given_slot(make_app: Callable[..., Flask]) -> None:
    app = portal(make_app)
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)
    result = runner.invoke(cli, ["worker", "run-job", "tenancy.census", "--slot", "2026-12-01"], obj=info)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "tenancy.census ran (slot 2026-12-01T00:00Z)"
    result = runner.invoke(cli, ["worker", "run-job", "tenancy.census", "--slot", "2027-01-03T04:30"], obj=info)
    assert result.exit_code == 0, result.output
    assert [slot for slot, _schedule in tenancy.RUNS] == [
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 3, 4, 30, tzinfo=UTC),
    ]
    bad = runner.invoke(cli, ["worker", "run-job", "tenancy.census", "--slot", "the first"], obj=info)
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_applicants_in_state_lists_the_people_a_program_approved(
    make_app: Callable[..., Flask], sign_in_as: Any
) -> None:
    app = portal(make_app)
    for id_number in ("1000000008", "1000000016", "1000000032"):
        sign_in_as(app, id_number)
    with app.app_context():
        db = sdk.db_session()
        people = {person.id_number: person.id for person in db.query(Person).all()}
        rows = [
            ("1000000008", "tenancy", "support", "approved"),
            ("1000000016", "tenancy", "support", "in_review"),
            ("1000000032", "tenancy", "other", "approved"),
            ("1000000016", "musaned", "support", "approved"),
        ]
        for index, (id_number, program, service, state) in enumerate(rows):
            db.add(
                Application(
                    reference=f"TEN-{index:08d}",
                    program=program,
                    service=service,
                    person_id=people[id_number],
                    state=state,
                    submission_key=f"key-{index}",
                )
            )
        db.commit()
        assert sdk.applicants_in_state("tenancy", "approved") == sorted([people["1000000008"], people["1000000032"]])
        assert sdk.applicants_in_state("tenancy", "approved", "support") == [people["1000000008"]]
        assert sdk.applicants_in_state("tenancy", "rejected") == []
