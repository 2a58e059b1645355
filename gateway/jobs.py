"""The host's periodic jobs, in one place: what runs, on which setting's schedule.

``gateway worker`` runs them (``gateway/tasks/``); each keeps its command for
a run by hand. A plugin's scheduled jobs are registered through the same
:func:`gateway.tasks.register_periodic_job`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from flask import Flask, current_app

from bawaba_sdk.jobs import ScheduledJob
from bawaba_sdk.program import DeclarationError

from .housekeeping import housekeep, purge_drafts, purge_orphan_files
from .messaging.outbox import get_messenger
from .plugin_manager import GatewayPluginManager
from .tasks import Schedule, ScheduleError, register_periodic_job

logger = logging.getLogger("gateway.jobs")


def _deliver_due(_slot: datetime) -> None:
    """Send every message that is due: first tries that never got a task, and retries after a failure."""
    host = current_app.extensions["gateway"]
    with host.database.session_factory() as db:
        report = get_messenger(current_app).deliver_due(db)
    if report.attempted:
        logger.info("outbox: %s", report)


def _housekeeping(_slot: datetime) -> None:
    logger.info("housekeeping: %s", housekeep(current_app))


def _purge_drafts(_slot: datetime) -> None:
    logger.info("%d stale drafts deleted", purge_drafts(current_app))


def _purge_orphans(_slot: datetime) -> None:
    logger.info("%d orphaned document files deleted", purge_orphan_files(current_app))


def register_host_jobs(app: Flask) -> None:
    """Register the host's periodic jobs with the schedules their ``GATEWAY_SCHEDULE_*`` settings give."""
    config = app.config
    register_periodic_job(
        app,
        "outbox.deliver_due",
        config["GATEWAY_SCHEDULE_OUTBOX"],
        _deliver_due,
        description="send due outbox messages (retries)",
    )
    register_periodic_job(
        app,
        "housekeeping",
        config["GATEWAY_SCHEDULE_HOUSEKEEPING"],
        _housekeeping,
        description="expired sessions and codes, old messages, spent OIDC rows",
    )
    register_periodic_job(
        app,
        "forms.purge_drafts",
        config["GATEWAY_SCHEDULE_PURGE_DRAFTS"],
        _purge_drafts,
        description="drafts untouched for GATEWAY_DRAFT_RETENTION_DAYS",
    )
    register_periodic_job(
        app,
        "documents.purge_orphans",
        config["GATEWAY_SCHEDULE_PURGE_ORPHANS"],
        _purge_orphans,
        description="stored files no document refers to (older than a day)",
    )


def checked_jobs(declared: Iterable[Any] | None, settings: Mapping[str, Any]) -> dict[str, tuple[ScheduledJob, str]]:
    """A plugin's declared jobs by name with their schedules; :class:`DeclarationError` for anything wrong."""
    found: dict[str, tuple[ScheduledJob, str]] = {}
    for item in declared or ():
        if not isinstance(item, ScheduledJob):
            raise DeclarationError("gateway_register_jobs must return sdk.ScheduledJob objects")
        if item.name in found:
            raise DeclarationError(f"scheduled job {item.name!r} is declared twice")
        schedule = item.schedule_in(dict(settings))
        try:
            Schedule.parse(schedule)
        except ScheduleError as exc:
            raise DeclarationError(f"scheduled job {item.name!r}: {exc}") from exc
        found[item.name] = (item, schedule)
    return found


def register_plugin_jobs(app: Flask, plugins: GatewayPluginManager) -> list[str]:
    """Register every serving plugin's scheduled jobs as ``<slug>.<name>``; return their names."""
    names = []
    for record in plugins.serving():
        if record.program is None:
            continue
        for name, (job, schedule) in record.jobs.items():
            full_name = f"{record.program.slug}.{name}"
            register_periodic_job(app, full_name, schedule, job.run, description=job.description)
            names.append(full_name)
    return names
