"""``gateway worker`` as an operator runs it: the host's jobs on their schedules, ``status`` and ``/readyz``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select
from tasks_kit import wait_for

from gateway.cli import cli
from gateway.messaging import OutboxMessage, queue_message

GATEWAY = Path(sys.executable).with_name("gateway")


def _row(output: str, job: str) -> str:
    """The status line of ``job``, its spaces squeezed."""
    for line in output.splitlines():
        if line.split()[:1] == [job]:
            return " ".join(line.split())
    raise AssertionError(f"no line for {job} in:\n{output}")


def _status(app: Flask) -> str:
    result = CliRunner().invoke(cli, ["worker", "status"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    return result.output


def _message_status(app: Flask, message_id: int) -> str:
    with app.extensions["gateway"].database.session_factory() as db:
        return str(db.scalars(select(OutboxMessage.status).where(OutboxMessage.id == message_id)).one())


def test_the_worker_runs_the_outbox_sweep_and_status_and_readyz_show_it(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    tasks_url = f"sqlite:///{tmp_path / 'tasks.sqlite3'}"
    app = make_app(TASKS_URL=tasks_url)
    with app.extensions["gateway"].database.session_factory() as db:
        message = queue_message(db, channel="sms", recipient="0551234567", body="hello", purpose="notification")
        db.commit()
        message_id = message.id
    runner = CliRunner()
    before = runner.invoke(cli, ["worker", "status"], obj=ScriptInfo(create_app=lambda: app))
    assert before.exit_code == 0, before.output
    assert "waiting:   0 tasks" in before.output
    assert _row(before.output, "housekeeping") == "housekeeping 15 2 * * * last: never run"

    environment = {
        **os.environ,
        "GATEWAY_ENV": "testing",
        "GATEWAY_INSTANCE_PATH": app.config["GATEWAY_INSTANCE_PATH"],
        "GATEWAY_DATABASE_URL": app.config["GATEWAY_DATABASE_URL"],
        "GATEWAY_PLUGINS": ",".join(app.config["GATEWAY_PLUGINS"]),
        "GATEWAY_TASKS_URL": tasks_url,
        "PYTHONUNBUFFERED": "1",
    }
    output = tmp_path / "worker.out"
    with output.open("w") as sink:
        worker = subprocess.Popen(
            [str(GATEWAY), "worker", "--threads", "1"], stdout=sink, stderr=subprocess.STDOUT, env=environment
        )
        try:
            wait_for(lambda: _message_status(app, message_id) == "sent", what="the sweep sending the message")
            wait_for(lambda: "last: ok" in _status(app), what="the run record")
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
    printed = output.read_text()
    assert (
        "queue 'bawaba' on SQLite" in printed and _row(printed, "outbox.deliver_due") == "outbox.deliver_due * * * * *"
    )
    assert printed.rstrip().endswith("stopped")

    assert _row(_status(app), "outbox.deliver_due").startswith("outbox.deliver_due * * * * * last: ok at")
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 200
    tasks = ready.get_json()["tasks"]
    assert tasks["queue"] == "ok" and tasks["waiting"] == 0
    assert tasks["jobs"]["outbox.deliver_due"]["last_outcome"] == "ok"
    assert tasks["jobs"]["housekeeping"] == {
        "schedule": "15 2 * * *",
        "last_run": None,
        "last_outcome": None,
        "last_success": None,
    }


def test_run_job_runs_a_periodic_job_by_hand_and_names_the_known_ones(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    runner = CliRunner()
    result = runner.invoke(cli, ["worker", "run-job", "housekeeping"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("housekeeping ran (slot ")
    assert _row(_status(app), "housekeeping").startswith("housekeeping 15 2 * * * last: ok at")
    unknown = runner.invoke(cli, ["worker", "run-job", "nightly"], obj=ScriptInfo(create_app=lambda: app))
    assert unknown.exit_code == 2
    assert "no periodic job 'nightly'" in unknown.output and "outbox.deliver_due" in unknown.output


def test_a_worker_that_cannot_reach_its_queue_says_where_it_looked(make_app: Callable[..., Flask]) -> None:
    app = make_app(TASKS_URL="redis://127.0.0.1:1/0")
    result = CliRunner().invoke(cli, ["worker"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 1
    assert "cannot reach the task queue at Redis 127.0.0.1:1/0" in result.output
    status = CliRunner().invoke(cli, ["worker", "status"], obj=ScriptInfo(create_app=lambda: app))
    assert status.exit_code == 1 and "cannot read the task queue" in status.output
    assert app.test_client().get("/readyz").get_json()["tasks"] == {"queue": "unreachable"}
