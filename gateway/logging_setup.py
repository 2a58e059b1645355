"""Log format and level for the portal, with the request id on every line."""

from __future__ import annotations

import logging

from .request_id import RequestIdFilter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure_logging(level: str) -> None:
    """Configure the ``gateway`` logger once per process (apps share loggers)."""
    logger = logging.getLogger("gateway")
    logger.setLevel(level)
    if any(getattr(handler, "_gateway", False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler._gateway = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
