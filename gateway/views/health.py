"""Liveness and readiness probes for load balancers and orchestrators.

``/healthz`` answers as long as the process serves requests; ``/readyz``
also checks that the database answers and that every component's migrations
are at their head, so a worker is not sent traffic before ``gateway db
upgrade`` has run. Neither says more than ok or failing per check; ``/readyz``
adds the task queue's depth and the last run of each periodic job, for
monitoring (they do not decide readiness).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from ..host import GatewayHost
from ..migrate import is_current
from ..tasks import get_tasks

logger = logging.getLogger("gateway.health")
health_blueprint = Blueprint("health", __name__)


@health_blueprint.get("/healthz")
def healthz() -> Response:
    response = jsonify(status="alive")
    response.headers["Cache-Control"] = "no-store"
    return response


def _iso(moment: float | None) -> str | None:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds") if moment else None


def _tasks_health() -> dict[str, Any]:
    """The task queue's depth and each periodic job's last run: what an operator watches, not a readiness check.

    A web worker can serve while the queue's store is away (what it hands off
    waits in the database for the next sweep), so this never makes ``/readyz``
    fail; a monitor alerts on ``queue`` or on a job whose last success is old.
    """
    queue = get_tasks(current_app)
    try:
        status = queue.status()
    except Exception:
        logger.exception("readiness: task queue unreachable")
        return {"queue": "unreachable"}
    return {
        "queue": "ok",
        "waiting": status.waiting,
        "scheduled": status.scheduled,
        "jobs": {
            job.name: {
                "schedule": str(job.schedule),
                "last_run": _iso(last.started_at) if last else None,
                "last_outcome": last.outcome if last else None,
                "last_success": _iso(last_ok.finished_at) if last_ok else None,
            }
            for job, last, last_ok in status.jobs
        },
    }


@health_blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    host: GatewayHost = current_app.extensions["gateway"]
    checks: dict[str, str] = {}
    try:
        host.database.ping()
        checks["database"] = "ok"
    except Exception:
        logger.exception("readiness: database unreachable")
        checks["database"] = "unreachable"
    if checks["database"] == "ok":
        for component in host.migration_components():
            try:
                current = is_current(host.database.engine, component)
            except Exception:
                logger.exception("readiness: cannot read migrations of %s", component.name)
                current = False
            checks[f"migrations:{component.name}"] = "ok" if current else "pending"
    ready = all(value == "ok" for value in checks.values())
    response = jsonify(status="ready" if ready else "not ready", checks=checks, tasks=_tasks_health())
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503
