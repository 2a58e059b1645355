"""Failed sign-ins: growing delays, then a bounded lock that nobody can keep closed.

Failures are counted under two keys per try: the network address, and the
account — or, when the try comes from a device the person completed a sign-in
on before (see :mod:`gateway.identity.devices`), that device instead of the
account. After ``free`` failures each further try must wait twice as long as
the last (1 s, 2 s, 4 s ... up to a minute); at ``lock_after`` failures the key
is locked for ``lock_minutes``. Tries during a lock are refused and change
nothing, so a lock ends ``lock_minutes`` after it began whatever an attacker
keeps sending; the next failure after it starts a fresh count. A success
clears the key it was checked under. Callers answer a throttled, locked,
unknown or wrong sign-in with the same message.

Why an account's own key does not block its known devices: ID numbers and
usernames are not secret, so anyone can fail sign-ins for an account; if
those failures blocked its owner, anyone could keep them out (decision 0021).
Guessing from a known device needs that device's signed cookie and is counted
under it, and every sign-in still needs the one-time code.
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


@dataclass(frozen=True)
class Attempt:
    """The keys one sign-in try is counted under.

    ``address``: the network address's key; ``account``: the account's key when
    the identifier names one; ``device``: the key of a device that completed a
    sign-in to that account before, which replaces the account's key.
    """

    address: str
    account: str | None = None
    device: str | None = None

    @property
    def subject(self) -> str | None:
        """The per-person key this try is checked and counted under (the device's if known)."""
        return self.device or self.account

    def keys(self) -> list[str]:
        return [self.address] + ([self.subject] if self.subject else [])


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
    if locked_until is not None:
        # A lock that has ended leaves no delay behind: the next failure starts a fresh count.
        return locked_until if locked_until > now else None
    if row.failures > policy.free:
        delay = min(2 ** (row.failures - policy.free - 1), LONGEST_DELAY_SECONDS)
        last_failure = _aware(row.last_failure_at)
        assert last_failure is not None
        wait_until = last_failure + timedelta(seconds=delay)
        if wait_until > now:
            return wait_until
    return None


def attempt_blocked_until(session: Session, attempt: Attempt, policy: ThrottlePolicy, now: datetime) -> datetime | None:
    """When ``attempt`` may be checked, if not now: the later of its address's and its subject's waits."""
    known = failures_of(session, attempt.keys())
    waits = [blocked_until(session, attempt.address, policy, now, known=known)]
    if attempt.subject is not None:
        waits.append(blocked_until(session, attempt.subject, policy, now, known=known))
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


def record_failure(session: Session, key: str, lock_after: int, lock_minutes: int, now: datetime) -> bool:
    """Count a failure; return True when this failure locked ``key``.

    A failure while ``key`` is locked changes nothing: the lock is never
    extended, so it ends ``lock_minutes`` after it began.
    """
    row = session.get(SignInFailures, key, with_for_update=True)
    if row is None:
        row = SignInFailures(key=key, failures=0, last_failure_at=now)
        session.add(row)
    locked_until = _aware(row.locked_until)
    if locked_until is not None and locked_until > now:
        return False
    if locked_until is not None:
        row.failures = 0
        row.locked_until = None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= lock_after:
        row.locked_until = now + timedelta(minutes=lock_minutes)
        return True
    return False


def record_attempt_failure(session: Session, attempt: Attempt, policy: ThrottlePolicy, now: datetime) -> bool:
    """Count a failed try under its address and its subject; True when it locked either."""
    locked = record_failure(session, attempt.address, policy.address_lock_after, policy.lock_minutes, now)
    if attempt.subject is not None:
        locked = record_failure(session, attempt.subject, policy.lock_after, policy.lock_minutes, now) or locked
    return locked


def clear(session: Session, key: str, *, known: Mapping[str, SignInFailures] | None = None) -> None:
    row = known.get(key) if known is not None else session.get(SignInFailures, key)
    if row is not None:
        session.delete(row)


def clear_attempt(session: Session, attempt: Attempt) -> None:
    """A right password: clear the subject's count (a known device's success leaves the account's alone)."""
    if attempt.subject is not None:
        clear(session, attempt.subject)
