"""The contributor's GOSI account in the portal: found by ID number, activated with a code.

Seed 004: the first time a person opens GOSI, the portal finds their record
by their ID number and asks them to activate it with a code sent, as they
choose, to their mobile or email, both the shared identity's
(``sdk.send_code``), never copied here. Without a record a page says so and
what to do; when GOSI does not answer, a page says to try again later.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import bawaba_sdk as sdk

from .adapters import records
from .db import Activation
from .records import Contributor

PURPOSE = "gosi_activation"


def activation_of(person: sdk.PersonView) -> Activation | None:
    """The person's activation, or ``None`` before they activated."""
    found: Activation | None = (
        sdk.db_session().scalars(select(Activation).where(Activation.person_id == person.id)).first()
    )
    return found


def contributor_of(person: sdk.PersonView) -> Contributor | None:
    """The person's record at GOSI now; raises ``sdk.AdapterUnavailable`` when GOSI does not answer."""
    return records().contributor(person.id_number)


def activate(person: sdk.PersonView, channel: str) -> Activation:
    """Record the activation (once: a second one, from another tab, finds the first)."""
    db = sdk.db_session()
    row = Activation(person_id=person.id, id_number=person.id_number, channel=channel, activated_at=datetime.now(UTC))
    db.add(row)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        existing = activation_of(person)
        if existing is None:  # pragma: no cover - the unique constraint said it exists
            raise
        return existing
    return row
