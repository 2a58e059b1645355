"""Musaned's one blueprint, mounted by the host under ``/musaned/``.

The page modules (``program_page``, ``visa_views``, ``office_views``, ...) add
their routes to :data:`bp`; ``plugin.py`` imports them so the routes exist
before the host registers the blueprint.
"""

from __future__ import annotations

import bawaba_sdk as sdk

SLUG = "musaned"

bp = sdk.Blueprint(SLUG, __name__, template_folder="templates")
