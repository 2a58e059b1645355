"""Creating people from the registry and changing their shared data.

A person row is only ever made from the registry's record, so names and
dates are the government's, not typed ones. A change of contact details is
committed once and then announced to every program through
``gateway_person_changed``, so the citizen tells the government once.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, joinedload

from bawaba_sdk.identity import PersonView

from ..plugin_manager import GatewayPluginManager
from ..registry.records import RegistryRecord
from .models import Account, Person

logger = logging.getLogger("gateway.identity")


def person_from_registry(record: RegistryRecord) -> Person:
    return Person(
        id_number=record.id_number,
        id_type=str(record.id_type),
        first_name_ar=record.first_name_ar,
        family_name_ar=record.family_name_ar,
        first_name_en=record.first_name_en,
        family_name_en=record.family_name_en,
        birth_date=record.birth_date,
        nationality=record.nationality,
        mobile=record.mobile,
    )


def as_view(person: Person) -> PersonView:
    """The read-only snapshot plugins receive."""
    return PersonView(
        id=person.id,
        subject=person.subject,
        id_number=person.id_number,
        id_type=person.id_type,
        first_name_ar=person.first_name_ar,
        family_name_ar=person.family_name_ar,
        first_name_en=person.first_name_en,
        family_name_en=person.family_name_en,
        birth_date=person.birth_date,
        nationality=person.nationality,
        mobile=person.mobile,
        email=person.email,
    )


def find_account(session: Session, identifier: str) -> Account | None:
    """The account whose ID number or username is ``identifier`` (already normalised)."""
    # Every caller reads the person next: loaded in the same query, not a second one.
    if identifier.isdigit():
        by_id = select(Account).join(Person).where(Person.id_number == identifier)
        return session.scalars(by_id.options(contains_eager(Account.person))).first()
    by_username = select(Account).where(Account.username == identifier.casefold())
    return session.scalars(by_username.options(joinedload(Account.person))).first()


def person_by_id_number(session: Session, id_number: str) -> Person | None:
    return session.scalars(select(Person).where(Person.id_number == id_number)).first()


def announce_change(plugins: GatewayPluginManager, person: Person, changed: set[str]) -> list[str]:
    """Tell every serving plugin; a plugin that raises is logged and the rest still hear it."""
    return plugins.hooks.person_changed(as_view(person), frozenset(changed))


def context_words(person: Person | Any, username: str | None = None) -> list[str]:
    """What a password must not contain: the person's ID number, names and username."""
    words = [person.id_number, person.first_name_ar, person.family_name_ar, person.first_name_en, person.family_name_en]
    if username:
        words.append(username)
    return [word for word in words if word]
