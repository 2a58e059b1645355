"""Failed sign-ins: growing delays, then a temporary lock.

Failures are counted per account (however the ID was typed) and per network
address. After ``free`` failures each further try must wait twice as long as
the last (1 s, 2 s, 4 s ... up to a minute); at ``lock_after`` failures the
account (or address) is locked for ``lock_minutes``. A success clears the
account's count. Callers answer a throttled, locked, unknown or wrong
sign-in with the same message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import SignInFailures

LONGEST_DELAY_SECONDS = 60


@dataclass(frozen=True)
class ThrottlePolicy:
    free: int
    lock_after: int
    lock_minutes: int
    address_lock_after: int


def account_key(account_id: int) -> str:
    return f"account:{account_id}"


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def failures_of(session: Session, keys: Iterable[str]) -> dict[str, SignInFailures]:
    """The failure rows of ``keys`` in one query; a key without a row has no failures."""
    rows = session.scalars(select(SignInFailures).where(SignInFailures.key.in_(list(keys))))
    return {row.key: row for row in rows}


def blocked_until(
    session: Session,
    key: str,
    policy: ThrottlePolicy,
    now: datetime,
    *,
    known: Mapping[str, SignInFailures] | None = None,
) -> datetime | None:
    """When ``key`` may try again, if it may not now (``known``: rows already read by :func:`failures_of`)."""
    row = known.get(key) if known is not None else session.get(SignInFailures, key)
    if row is None:
        return None
    locked_until = _aware(row.locked_until)
    if locked_until is not None and locked_until > now:
        return locked_until
    if row.failures > policy.free:
        delay = min(2 ** (row.failures - policy.free - 1), LONGEST_DELAY_SECONDS)
        last_failure = _aware(row.last_failure_at)
        assert last_failure is not None
        wait_until = last_failure + timedelta(seconds=delay)
        if wait_until > now:
            return wait_until
    return None


def record_failure(session: Session, key: str, lock_after: int, lock_minutes: int, now: datetime) -> bool:
    """Count a failure; return True when this failure locked ``key``."""
    row = session.get(SignInFailures, key, with_for_update=True)
    if row is None:
        row = SignInFailures(key=key, failures=0, last_failure_at=now)
        session.add(row)
    locked_until = _aware(row.locked_until)
    if locked_until is not None and locked_until <= now:
        row.failures = 0
        row.locked_until = None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= lock_after:
        row.locked_until = now + timedelta(minutes=lock_minutes)
        return True
    return False


def clear(session: Session, key: str, *, known: Mapping[str, SignInFailures] | None = None) -> None:
    row = known.get(key) if known is not None else session.get(SignInFailures, key)
    if row is not None:
        session.delete(row)
