"""``gateway_register_jobs``: a plugin's scheduled job registered on the host's task queue and run for a slot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

import bawaba_sdk as sdk
from bawaba_sdk.testing.jobs import job_names, run_job
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
