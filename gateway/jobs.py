"""The host's periodic jobs, in one place: what runs, on which setting's schedule.

``gateway worker`` runs them (``gateway/tasks/``); each keeps its command for
a run by hand. A plugin's scheduled jobs are registered through the same
:func:`gateway.tasks.register_periodic_job`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask, current_app

from .housekeeping import housekeep, purge_drafts, purge_orphan_files
from .messaging.outbox import get_messenger
from .tasks import register_periodic_job

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
