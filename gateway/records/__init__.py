"""Standing records (``sdk.StandingRecord``): programs' records per owner, edited through declared forms, versioned.

``registry.py`` reads the declarations, ``models.py`` / ``store.py`` keep the
rows, drafts, versions and members index, ``views.py`` serves the pages under
``/records/<program>/<name>/``. The app factory calls :func:`init_records`.
"""

from __future__ import annotations

from flask import Flask

from .models import RecordMemberRow, RecordVersionRow, StandingRecordRow
from .registry import RecordRef, checked_records, find_record
from .store import holder_of, state_of

EXTENSION_KEY = "gateway.records"


def init_records(app: Flask) -> None:
    """Mount the ``records`` blueprint once per app."""
    if EXTENSION_KEY in app.extensions:
        return
    from .views import records_blueprint

    app.register_blueprint(records_blueprint)
    app.extensions[EXTENSION_KEY] = True


__all__ = [
    "EXTENSION_KEY",
    "RecordMemberRow",
    "RecordRef",
    "RecordVersionRow",
    "StandingRecordRow",
    "checked_records",
    "find_record",
    "holder_of",
    "init_records",
    "state_of",
]
