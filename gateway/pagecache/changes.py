"""Which people's cached pages a transaction made stale, found by watching the app's sessions.

Why a session listener, as for notifications: every change to a row a cached
page shows (an application, a draft, a notification, the person) is written
through the ORM by some part of the host (the forms engine, the API, the back
office, payments, a CLI), so watching the app's ``sessionmaker`` catches them
all without any of those parts knowing about the cache.

- ``after_flush`` collects the person of every new, changed or deleted
  watched object (old and new owner when the owner itself changed).
- ``do_orm_execute`` sees bulk ``UPDATE``/``DELETE`` statements on watched
  tables: they name whose rows they touch with the execution option
  ``changed_people``; one that does not makes every page stale.
- The versions are bumped only after the outermost transaction commits; a
  rollback forgets what was collected. A Redis failure there is logged, never
  raised: the change is already committed. (Pages then expire on their own
  after ``PAGE_CACHE_SECONDS``.)

SQL run outside the ORM (``text()``, a database console) is not seen; the
page lifetime bounds how long such a change can go unnoticed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from .store import PageCache

logger = logging.getLogger("gateway.pagecache")

CHANGED_KEY = "gateway.pagecache.people"
EVERYONE_KEY = "gateway.pagecache.everyone"
CHANGED_PEOPLE_OPTION = "changed_people"
"""Execution option of a bulk statement on a watched table: the ids of the people whose rows it touches."""


def watch_changes(session_factory: sessionmaker[Session], cache: PageCache, watched: Mapping[type[Any], str]) -> None:
    """Bump the versions of the people whose ``watched`` rows (class -> person id attribute) each commit changed."""
    tables: set[object] = {inspect(model).local_table for model in watched}

    def after_flush(session: Session, _context: Any) -> None:
        people: set[int] = session.info.setdefault(CHANGED_KEY, set())
        for instance in chain(session.new, session.dirty, session.deleted):
            attribute = watched.get(type(instance))
            if attribute is not None:
                people.update(_owners(instance, attribute))

    def do_orm_execute(state: ORMExecuteState) -> None:
        if not (state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if table not in tables:
            return
        named = state.execution_options.get(CHANGED_PEOPLE_OPTION)
        if named is None:
            state.session.info[EVERYONE_KEY] = True
        else:
            state.session.info.setdefault(CHANGED_KEY, set()).update(int(person_id) for person_id in named)

    def after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: the outer transaction may still roll back
        people: set[int] = session.info.pop(CHANGED_KEY, set())
        everyone = session.info.pop(EVERYONE_KEY, False)
        try:
            if everyone:
                cache.everyone_changed()
            elif people:
                cache.people_changed(people)
        except Exception:  # committed already: a cache outage must not turn it into an error
            logger.exception("could not mark cached pages stale for people %s", sorted(people) or "all")

    def after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
        if previous.parent is None:  # the outermost transaction: nothing it collected was stored
            session.info.pop(CHANGED_KEY, None)
            session.info.pop(EVERYONE_KEY, None)

    event.listen(session_factory, "after_flush", after_flush)
    event.listen(session_factory, "do_orm_execute", do_orm_execute)
    event.listen(session_factory, "after_commit", after_commit)
    event.listen(session_factory, "after_soft_rollback", after_soft_rollback)


def _owners(instance: object, attribute: str) -> Iterable[int]:
    """The person the object belongs to now and, if that changed in this flush, before."""
    state = inspect(instance)
    history = state.attrs[attribute].history  # never loads: only what the object holds
    values = chain(history.added, history.unchanged, history.deleted, [state.dict.get(attribute)])
    return {value for value in values if isinstance(value, int)}
