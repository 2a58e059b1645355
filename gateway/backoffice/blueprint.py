"""The back office's blueprint, shared by its view modules."""

from __future__ import annotations

from flask import Blueprint

backoffice_blueprint = Blueprint("backoffice", __name__, url_prefix="/backoffice")
