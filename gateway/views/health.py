"""Liveness and readiness probes for load balancers and orchestrators.

``/healthz`` answers as long as the process serves requests; ``/readyz``
also checks that the database answers and that every component's migrations
are at their head, so a worker is not sent traffic before ``gateway db
upgrade`` has run. Neither says more than ok or failing per check.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify

from ..host import GatewayHost
from ..migrate import is_current

logger = logging.getLogger("gateway.health")
health_blueprint = Blueprint("health", __name__)


@health_blueprint.get("/healthz")
def healthz() -> Response:
    response = jsonify(status="alive")
    response.headers["Cache-Control"] = "no-store"
    return response


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
    response = jsonify(status="ready" if ready else "not ready", checks=checks)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503
