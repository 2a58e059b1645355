"""The person's applications as a plugin may read them: snapshots of its own program only.

``sdk.applications_of`` ends here. A plugin lists what the person applied
for (their issued visas, their contracts) without keeping a copy. The query
is fixed to one program and one person: the plugin names its own program and
passes the person it got from the SDK. Plugins are installed code the
operator trusts (they run in the portal's process), so this is a contract,
not a sandbox: the documented use is a plugin's own program only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bawaba_sdk.applications import ApplicationView
from bawaba_sdk.identity import PersonView

from .models import Application


def applications_for_plugin(
    db: Session, program_slug: str, person: PersonView, service_slug: str | None = None
) -> list[ApplicationView]:
    """The person's applications to ``program_slug`` (one service's, if named), newest first."""
    from .service import as_view

    query = select(Application).where(Application.program == program_slug, Application.person_id == person.id)
    if service_slug is not None:
        query = query.where(Application.service == service_slug)
    rows = db.scalars(query.order_by(Application.created_at.desc(), Application.id.desc())).all()
    return [as_view(application, person) for application in rows]
