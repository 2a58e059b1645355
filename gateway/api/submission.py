"""Turning checked answers into an application, its documents and its bill: what the pages do on submit.

The submit step itself is :func:`gateway.forms.submission.make_application`,
shared with the pages so the two cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..applications import Application


def application_by_key(db: Session, submission_key: str) -> Application | None:
    """Whoever's application was made with ``submission_key`` (the caller checks the owner)."""
    query = select(Application).where(Application.submission_key == submission_key)
    found: Application | None = db.scalars(query).first()
    return found
