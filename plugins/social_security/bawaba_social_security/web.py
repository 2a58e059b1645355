"""The programme's blueprint, shared by its page modules (each adds its routes when imported)."""

from __future__ import annotations

import bawaba_sdk as sdk

from .program import SLUG

bp = sdk.Blueprint(SLUG, __name__, template_folder="templates")
