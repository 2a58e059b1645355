"""``gateway worker``: run every background and periodic job; ``gateway worker status``: how the queue stands.

One command replaces the delivery loop and the timers: start as many workers
as the load needs, on as many machines as share the queue's store, and each
periodic job still runs once per slot.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from .queue import QueueStatus, TaskQueue, worker_name
from .schedule import slot_key
from .store import Run
from .worker import make_consumer

logger = logging.getLogger("gateway.tasks")


def _queue() -> TaskQueue:
    from . import get_tasks

    return get_tasks(current_app)


@click.group("worker", cls=AppGroup, invoke_without_command=True)
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Tasks run at once by this worker."
)
@click.option("--no-periodic", is_flag=True, help="Run queued tasks only; leave the periodic jobs to other workers.")
@with_appcontext
def group(threads: int, no_periodic: bool) -> None:
    """Run queued tasks and the periodic jobs until stopped (SIGTERM lets running tasks finish)."""
    if click.get_current_context().invoked_subcommand is not None:
        return
    queue = _queue()
    try:
        queue.store.ping()
    except Exception as exc:
        raise click.ClickException(
            f"cannot reach the task queue at {queue.describe_store()} ({type(exc).__name__}): "
            "is GATEWAY_TASKS_URL (or GATEWAY_REDIS_URL) right, and is the server up?"
        ) from exc
    click.echo(f"worker {worker_name()}: queue {queue.name!r} on {queue.describe_store()}, {threads} threads")
    for job in sorted(queue.periodic.values(), key=lambda job: job.name):
        click.echo(f"  {job.name:<28} {job.schedule}")
    make_consumer(queue, threads=threads, periodic=not no_periodic).run()
    click.echo("stopped")


def _when(moment: float | None) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def _describe_run(run: Run | None) -> str:
    if run is None:
        return "never run"
    took = f" in {run.finished_at - run.started_at:.1f} s" if run.finished_at else ""
    error = f": {run.error}" if run.error else ""
    return f"{run.outcome} at {_when(run.started_at)}{took} (slot {run.slot}){error}"


def describe_status(queue: TaskQueue, status: QueueStatus) -> list[str]:
    """The status as lines an operator reads."""
    lines = [
        f"queue {queue.name!r} on {queue.describe_store()}",
        f"  waiting:   {status.waiting} tasks",
        f"  scheduled: {status.scheduled} tasks (retries and deliveries put off until later)",
        "periodic jobs:",
    ]
    for job, last, last_ok in status.jobs:
        lines.append(f"  {job.name:<28} {job.schedule!s:<14} last: {_describe_run(last)}")
        if last is not None and last.outcome != "ok":
            lines.append(f"  {'':<28} {'':<14} last success: {_describe_run(last_ok)}")
    return lines


@group.command("status")
def status_command() -> None:
    """How many tasks wait, and each periodic job's schedule and last run."""
    queue = _queue()
    try:
        status = queue.status()
    except Exception as exc:
        raise click.ClickException(
            f"cannot read the task queue at {queue.describe_store()} ({type(exc).__name__})"
        ) from exc
    for line in describe_status(queue, status):
        click.echo(line)


@group.command("run-job")
@click.argument("name")
@click.option(
    "--slot",
    "slot_text",
    default=None,
    help="The slot to run for, YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC); default this minute. "
    "A monthly job given a day of its month does that month.",
)
def run_job_command(name: str, slot_text: str | None) -> None:
    """Run one periodic job now, in this process (its slot is this minute or --slot; no claim is taken)."""
    queue = _queue()
    job = queue.periodic.get(name)
    if job is None:
        known = ", ".join(sorted(queue.periodic)) or "none"
        raise click.BadParameter(f"no periodic job {name!r} (known: {known})", param_hint="NAME")
    slot = slot_key(_slot(slot_text))
    queue.run_periodic_now(job.name, slot)
    click.echo(f"{job.name} ran (slot {slot})")


def _slot(text: str | None) -> datetime:
    """``--slot``'s moment in UTC (a day alone is its midnight), or now."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip().removesuffix("Z"))
    except ValueError as exc:
        raise click.BadParameter("give YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)", param_hint="--slot") from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
