"""Bawaba's host: the Flask application every program plugs into."""

from __future__ import annotations

from .app import create_app
from .settings import ConfigError
from .version import __version__

__all__ = ["ConfigError", "__version__", "create_app"]
