"""``gateway outbox``: read the sandbox outbox, and run the delivery worker.

With no subcommand it prints the latest messages, bodies included: with the
sandbox adapters this is where a developer reads the code they were "sent".
``gateway outbox deliver`` makes one delivery pass by hand; ``gateway worker``
does the same every minute (and sends each new message at once), so an
outage delays messages instead of losing them. ``--loop`` is kept for
deployments that still run it.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from .models import OutboxMessage, utc_now
from .outbox import DeliveryReport, get_messenger, latest_messages

logger = logging.getLogger("gateway.messaging")


def _database_problem(exc: Exception) -> click.ClickException:
    return click.ClickException(
        f"cannot read the outbox ({type(exc).__name__}): is the database up, and has 'gateway db upgrade' run?"
    )


@click.group("outbox", cls=AppGroup, invoke_without_command=True)
@click.option(
    "--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="How many messages to print."
)
@with_appcontext
def group(limit: int) -> None:
    """Print the latest messages (oldest of them first, newest last), or deliver due ones."""
    if click.get_current_context().invoked_subcommand is not None:
        return
    session = current_app.extensions["gateway"].db_session()
    try:
        messages = latest_messages(session, limit)
    except (OperationalError, ProgrammingError) as exc:
        raise _database_problem(exc) from exc
    if not messages:
        click.echo("The outbox is empty.")
        return
    for message in reversed(messages):  # newest last, next to the prompt
        click.echo(describe(message))


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value is not None else "-"


def describe(message: OutboxMessage) -> str:
    """One message as a heading line and its indented body."""
    lines = [
        f"#{message.id}  {_time(message.created_at)}  {message.channel}  {message.recipient}  "
        f"{message.purpose}  {message.status}  attempts={message.attempts}"
    ]
    if message.subject:
        lines.append(f"    Subject: {message.subject}")
    lines.extend(f"    {line}" for line in message.body.splitlines() or [""])
    if message.last_error:
        lines.append(f"    last error: {message.last_error}")
    return "\n".join(lines)


@group.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering until interrupted (the worker process).")
@click.option(
    "--interval",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0.0),
    help="Seconds between rounds with --loop.",
)
@click.option("--max-rounds", type=click.IntRange(min=1), default=None, help="With --loop, stop after this many.")
@click.option(
    "--limit", default=100, show_default=True, type=click.IntRange(1, 10000), help="Messages per round at most."
)
def deliver_command(loop: bool, interval: float, max_rounds: int | None, limit: int) -> None:
    """Deliver the messages that are due (once, or in a loop with --loop)."""
    if max_rounds is not None and not loop:
        raise click.UsageError("--max-rounds only makes sense with --loop")
    if not loop:
        click.echo(str(_round(limit)))
        return
    stop = threading.Event()
    previous = _stop_on_sigterm(stop)
    rounds = 0
    try:
        while not stop.is_set() and (max_rounds is None or rounds < max_rounds):
            rounds += 1
            report = _round_in_loop(limit)
            if report is not None and report.attempted:
                click.echo(f"{_time(utc_now())}  {report}")
            busy = report is not None and report.attempted >= limit
            if not busy and (max_rounds is None or rounds < max_rounds):
                stop.wait(interval)  # a full round means a backlog: go again at once
    except KeyboardInterrupt:
        stop.set()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if stop.is_set():
        click.echo("stopped")


def _stop_on_sigterm(stop: threading.Event) -> Any:
    """Let SIGTERM (how process managers stop a worker) end the loop after the round, never mid-message.

    Returns the previous handler to restore, or ``None`` when not in the main
    thread (where Python cannot install signal handlers).
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())


def _round(limit: int) -> DeliveryReport:
    """One pass in a fresh session, so each round sees the queue as it is now."""
    host = current_app.extensions["gateway"]
    messenger = get_messenger(current_app)
    with host.database.session_factory() as session:
        try:
            return messenger.deliver_due(session, limit=limit)
        except (OperationalError, ProgrammingError) as exc:
            session.rollback()
            raise _database_problem(exc) from exc


def _round_in_loop(limit: int) -> DeliveryReport | None:
    """A round that survives a database hiccup: the worker logs it and tries again later."""
    try:
        return _round(limit)
    except (click.ClickException, SQLAlchemyError) as exc:
        logger.exception("outbox delivery round failed")
        click.echo(f"{_time(utc_now())}  delivery round failed: {type(exc).__name__}", err=True)
        return None
