"""Bawaba's host: the Flask application every program plugs into."""

from __future__ import annotations

from .app import create_app
from .settings import ConfigError

__version__ = "0.1.0"

__all__ = ["ConfigError", "__version__", "create_app"]
