"""The ``account`` blueprint: registration, sign-in, recovery and the profile, under ``/account``."""

from __future__ import annotations

from flask import Blueprint

account_blueprint = Blueprint("account", __name__, url_prefix="/account")

# The views attach themselves to the blueprint when imported.
from . import profile_views, recovery_views, registration_views, sign_in_views  # noqa: E402, F401
