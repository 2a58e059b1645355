"""Issue and check one-time codes: the rules of NIST SP 800-63B §5.1.3 in one place.

The web layer decides *when* a code is needed and where it goes; this module
decides whether one may be sent now, makes it, and judges what the person
typed. A code is

- random (``secrets``), ``OTP_LENGTH`` digits, valid ``OTP_TTL_SECONDS``;
- stored only as a keyed hash (:mod:`gateway.otp.keys`); the plain code lives
  only in the returned :class:`IssuedCode`, long enough to put into a message;
- bound to its purpose and to the flow that asked for it, so it is useless
  anywhere else;
- single use, and dead after ``OTP_MAX_ATTEMPTS`` wrong tries. Each wrong
  try is counted by one conditional ``UPDATE ... SET attempts = attempts + 1
  ... WHERE attempts < max RETURNING attempts``, so parallel guesses cannot
  exceed the limit: the database, not Python, does the arithmetic.

Sending is throttled before a code is made: ``OTP_RESEND_SECONDS`` between
two codes of one flow and purpose, ``OTP_MAX_SENDS_PER_HOUR`` per person and
``OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR`` / ``_PER_DAY`` per mobile number or
email address (so nobody can use the portal to flood a stranger's phone by
typing many ID numbers). The caps count every code issued, used or not; on
PostgreSQL each issue takes transaction-scoped advisory locks on its flow,
person and address so two parallel requests cannot both slip under a cap.

Transactions: :meth:`OneTimeCodes.issue` only flushes, so the caller can
queue the message in the same transaction and commit both together (no code
without its message, no message without its code). :meth:`OneTimeCodes.verify`
commits, because a wrong try must count even when the caller then fails, and
a used code must stay used.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, or_, select, text, update
from sqlalchemy.orm import Session

from bawaba_sdk.digits import clean_digits

from .keys import derive_otp_key, hash_code
from .models import OneTimeCode
from .purposes import check_flow_id, check_purpose, check_subject_key

logger = logging.getLogger("gateway.otp")

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
KEEP_FOR_CAPS = DAY
"""Rows younger than this are never purged: the per-address daily cap is counted from them."""

CHANNELS = ("sms", "email")
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
EXTENSION_KEY = "gateway.otp"


class CodeRefused(Exception):  # noqa: N818 - a refusal the caller shows, not a failure
    """No code was sent; the person may ask again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"{type(self).__name__}: retry after {self.retry_after} s")


class ResendTooSoon(CodeRefused):
    """The last code of this flow was sent less than ``OTP_RESEND_SECONDS`` ago."""


class TooManyCodes(CodeRefused):
    """A per-person or per-address cap is reached."""


class VerifyResult(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    """Not the code; ``Verification.remaining_tries`` more tries are allowed."""
    EXPIRED = "expired"
    TOO_MANY_TRIES = "too_many_tries"
    """The code is dead (also the answer to the try that used up the last one); ask for a new one."""
    NO_CODE = "no_code"
    """Nothing live for this flow and purpose: never sent, already used, voided by a resend."""


@dataclass(frozen=True)
class Verification:
    """What :meth:`OneTimeCodes.verify` found."""

    result: VerifyResult
    remaining_tries: int = 0
    code_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.result is VerifyResult.OK


@dataclass(frozen=True)
class IssuedCode:
    """A new code. ``code`` exists only here, in memory, to be put into the message."""

    code_id: int
    code: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class OtpPolicy:
    """The numbers, all from configuration (``GATEWAY_OTP_*``)."""

    length: int = 6
    ttl_seconds: int = 300
    max_attempts: int = 5
    resend_seconds: int = 60
    max_sends_per_person_per_hour: int = 5
    max_sends_per_address_per_hour: int = 5
    max_sends_per_address_per_day: int = 10

    def __post_init__(self) -> None:
        if not 4 <= self.length <= 10:
            raise ValueError("a one-time code has 4 to 10 digits")
        for name in ("ttl_seconds", "max_attempts", "max_sends_per_person_per_hour"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.resend_seconds < 0:
            raise ValueError("resend_seconds cannot be negative")
        if self.max_sends_per_address_per_hour < 1 or self.max_sends_per_address_per_day < 1:
            raise ValueError("the per-address caps must be at least 1")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OtpPolicy:
        return cls(
            length=int(config["GATEWAY_OTP_LENGTH"]),
            ttl_seconds=int(config["GATEWAY_OTP_TTL_SECONDS"]),
            max_attempts=int(config["GATEWAY_OTP_MAX_ATTEMPTS"]),
            resend_seconds=int(config["GATEWAY_OTP_RESEND_SECONDS"]),
            max_sends_per_person_per_hour=int(config["GATEWAY_OTP_MAX_SENDS_PER_HOUR"]),
            max_sends_per_address_per_hour=int(config["GATEWAY_OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR"]),
            max_sends_per_address_per_day=int(config["GATEWAY_OTP_MAX_SENDS_PER_ADDRESS_PER_DAY"]),
        )


def utc(moment: datetime | None) -> datetime:
    """``moment`` (default: now) as an aware UTC datetime; naive values (SQLite gives those back) are UTC."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def normalise_destination(channel: str, destination: str) -> str:
    """The address as stored and counted: E.164 for SMS, the lower-cased address for email."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
    value = destination.strip()
    if channel == "sms":
        if not E164.fullmatch(value):
            raise ValueError("an SMS destination must be an E.164 number such as +966501234567")
        return value
    value = value.lower()
    if "@" not in value or len(value) > 254 or any(character.isspace() for character in value):
        raise ValueError("an email destination must be one address")
    return value


def _seconds_left(until: datetime, now: datetime) -> int:
    """Whole seconds from ``now`` to ``until``, rounded up; 0 when it has passed."""
    left = (until - now).total_seconds()
    return math.ceil(left) if left > 0 else 0


class OneTimeCodes:
    """Issue and verify one-time codes under one policy and one key."""

    def __init__(self, policy: OtpPolicy, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the code-hashing key is too short")
        self.policy = policy
        self._key = key

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OneTimeCodes:
        """From a Flask config: the ``GATEWAY_OTP_*`` numbers and a key derived from ``SECRET_KEY``."""
        return cls(OtpPolicy.from_config(config), derive_otp_key(config["SECRET_KEY"]))

    def __repr__(self) -> str:
        return f"OneTimeCodes({self.policy!r})"

    def hash_code(self, *, purpose: str, flow_id: str, code: str) -> str:
        """The stored form of ``code`` for this purpose and flow (64 hex characters)."""
        return hash_code(self._key, purpose=purpose, flow_id=flow_id, code=code)

    # -- issuing --------------------------------------------------------------------

    def issue(
        self,
        session: Session,
        *,
        purpose: str,
        flow_id: str,
        subject_key: str,
        channel: str,
        destination: str,
        now: datetime | None = None,
        previous_undelivered: bool = False,
    ) -> IssuedCode:
        """Make a new code for this flow, voiding its earlier ones; flushes, does not commit.

        Raises :class:`ResendTooSoon` or :class:`TooManyCodes` (both carry
        ``retry_after`` seconds) before anything is written. ``ValueError``
        means the caller passed a malformed purpose, flow id, subject key,
        channel or destination. ``previous_undelivered`` waives the resend
        wait (never the caps) when the last code could not be delivered and
        the person asks for it another way, e.g. by email during an SMS outage.
        """
        purpose = check_purpose(purpose)
        flow_id = check_flow_id(flow_id)
        subject_key = check_subject_key(subject_key)
        destination = normalise_destination(channel, destination)
        now = utc(now)

        self._lock(session, f"flow:{flow_id}", f"person:{subject_key}", f"address:{destination}")
        recent = self._recent_codes(session, flow_id, purpose, subject_key, destination, now)
        resend_wait = 0 if previous_undelivered else self._resend_wait_of(recent, flow_id, purpose, now)
        cap_wait = self._cap_wait_of(recent, subject_key, destination, now)
        if cap_wait and cap_wait >= resend_wait:
            logger.info("one-time code refused (cap) purpose=%s retry_after=%s", purpose, cap_wait)
            raise TooManyCodes(cap_wait)
        if resend_wait:
            logger.info("one-time code refused (resend wait) purpose=%s retry_after=%s", purpose, resend_wait)
            raise ResendTooSoon(resend_wait)

        session.execute(
            update(OneTimeCode)
            .where(*self._live(flow_id, purpose))
            .values(voided_at=now)
            .execution_options(synchronize_session="fetch")
        )
        code = f"{secrets.randbelow(10**self.policy.length):0{self.policy.length}d}"
        row = OneTimeCode(
            flow_id=flow_id,
            purpose=purpose,
            subject_key=subject_key,
            channel=channel,
            destination=destination,
            code_hash=self.hash_code(purpose=purpose, flow_id=flow_id, code=code),
            created_at=now,
            expires_at=now + timedelta(seconds=self.policy.ttl_seconds),
            attempts=0,
        )
        session.add(row)
        session.flush()
        logger.info("one-time code %s issued purpose=%s channel=%s", row.id, purpose, channel)
        return IssuedCode(code_id=row.id, code=code, expires_at=row.expires_at)

    def record_message(self, session: Session, code_id: int, outbox_message_id: int) -> None:
        """Remember which outbox message carried the code (for support and delivery questions)."""
        session.execute(
            update(OneTimeCode)
            .where(OneTimeCode.id == code_id)
            .values(outbox_message_id=outbox_message_id)
            .execution_options(synchronize_session="fetch")
        )

    def seconds_until_resend(self, session: Session, *, flow_id: str, purpose: str, now: datetime | None = None) -> int:
        """Seconds before :meth:`issue` would accept a new code for this flow (0: now), for the UI countdown.

        Counts the resend wait and the caps of the person and address of the
        flow's last code, i.e. the wait that the next :meth:`issue` would get.
        """
        now = utc(now)
        last = session.scalars(
            select(OneTimeCode)
            .where(OneTimeCode.flow_id == flow_id, OneTimeCode.purpose == purpose)
            .order_by(OneTimeCode.created_at.desc(), OneTimeCode.id.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        ).first()
        if last is None:
            return 0
        recent = self._recent_codes(session, flow_id, purpose, last.subject_key, last.destination, now)
        return max(
            self._resend_wait_of(recent, flow_id, purpose, now),
            self._cap_wait_of(recent, last.subject_key, last.destination, now),
        )

    # -- verifying ------------------------------------------------------------------

    def remaining_tries(self, session: Session, *, flow_id: str, purpose: str, now: datetime | None = None) -> int:
        """Wrong tries the live code of this flow can still take (0: none live, or it is dead or expired)."""
        now = utc(now)
        row = self._newest_live(session, flow_id, purpose)
        if row is None or self._state(row, now) is not None:
            return 0
        return self.policy.max_attempts - row.attempts

    def verify(
        self, session: Session, *, purpose: str, flow_id: str, code: str, now: datetime | None = None
    ) -> VerifyResult:
        """Judge ``code`` (Arabic-Indic digits and spaces accepted) for this flow and purpose; commits.

        Only the newest live code of the flow and purpose is considered, so a
        code of another purpose or flow, a used one and one voided by a resend
        all get ``NO_CODE``. :meth:`verify_detailed` also tells how many tries
        are left after a ``WRONG``.
        """
        return self.verify_detailed(session, purpose=purpose, flow_id=flow_id, code=code, now=now).result

    def verify_detailed(
        self, session: Session, *, purpose: str, flow_id: str, code: str, now: datetime | None = None
    ) -> Verification:
        """:meth:`verify`, with the tries left and the code's id."""
        check_purpose(purpose)
        check_flow_id(flow_id)
        now = utc(now)
        row = self._newest_live(session, flow_id, purpose)
        if row is None:
            return self._finish(session, Verification(VerifyResult.NO_CODE))
        state = self._state(row, now)
        if state is not None:
            return self._finish(session, Verification(state, code_id=row.id))

        entered = clean_digits(code)
        if hmac.compare_digest(self.hash_code(purpose=purpose, flow_id=flow_id, code=entered), row.code_hash):
            used = session.execute(
                update(OneTimeCode)
                .where(*self._usable(row.id, now))
                .values(used_at=now)
                .returning(OneTimeCode.id)
                .execution_options(synchronize_session=False)
            ).scalar_one_or_none()
            session.expire(row)
            if used is not None:
                return self._finish(session, Verification(VerifyResult.OK, code_id=row.id))
            return self._finish(session, self._settle(session, row, now))

        attempts = session.execute(
            update(OneTimeCode)
            .where(*self._usable(row.id, now))
            .values(attempts=OneTimeCode.attempts + 1)
            .returning(OneTimeCode.attempts)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        session.expire(row)
        if attempts is None:
            return self._finish(session, self._settle(session, row, now))
        remaining = self.policy.max_attempts - attempts
        if remaining <= 0:
            return self._finish(session, Verification(VerifyResult.TOO_MANY_TRIES, code_id=row.id))
        return self._finish(session, Verification(VerifyResult.WRONG, remaining_tries=remaining, code_id=row.id))

    # -- housekeeping ---------------------------------------------------------------

    def purge_expired(self, session: Session, older_than: datetime | timedelta, *, now: datetime | None = None) -> int:
        """Delete codes that expired before ``older_than`` (a moment, or an age); commits; returns how many.

        Codes younger than a day are kept whatever ``older_than`` says: the
        per-address daily cap is counted from them.
        """
        now = utc(now)
        cutoff = now - older_than if isinstance(older_than, timedelta) else utc(older_than)
        cutoff = min(cutoff, now - KEEP_FOR_CAPS)
        result = session.execute(
            delete(OneTimeCode)
            .where(OneTimeCode.expires_at < cutoff, OneTimeCode.created_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        deleted = int(getattr(result, "rowcount", 0) or 0)
        logger.info("purged %s expired one-time codes", deleted)
        return deleted

    # -- internals ------------------------------------------------------------------

    @staticmethod
    def _live(flow_id: str, purpose: str) -> tuple[ColumnElement[bool], ...]:
        return (
            OneTimeCode.flow_id == flow_id,
            OneTimeCode.purpose == purpose,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.voided_at.is_(None),
        )

    def _newest_live(self, session: Session, flow_id: str, purpose: str) -> OneTimeCode | None:
        return session.scalars(
            select(OneTimeCode)
            .where(*self._live(flow_id, purpose))
            .order_by(OneTimeCode.created_at.desc(), OneTimeCode.id.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        ).first()

    def _usable(self, code_id: int, now: datetime) -> tuple[ColumnElement[bool], ...]:
        return (
            OneTimeCode.id == code_id,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.voided_at.is_(None),
            OneTimeCode.attempts < self.policy.max_attempts,
            OneTimeCode.expires_at > now,
        )

    def _state(self, row: OneTimeCode, now: datetime) -> VerifyResult | None:
        """Why ``row`` cannot be tried any more, or None when it can."""
        if row.used_at is not None or row.voided_at is not None:
            return VerifyResult.NO_CODE
        if row.attempts >= self.policy.max_attempts:
            return VerifyResult.TOO_MANY_TRIES
        if now >= utc(row.expires_at):
            return VerifyResult.EXPIRED
        return None

    def _settle(self, session: Session, row: OneTimeCode, now: datetime) -> Verification:
        """A parallel request changed the row between our read and our update: report what it is now."""
        session.refresh(row)
        return Verification(self._state(row, now) or VerifyResult.NO_CODE, code_id=row.id)

    @staticmethod
    def _finish(session: Session, verification: Verification) -> Verification:
        session.commit()
        logger.info("one-time code %s verified: %s", verification.code_id, verification.result.value)
        return verification

    def _recent_codes(
        self, session: Session, flow_id: str, purpose: str, subject_key: str, destination: str, now: datetime
    ) -> list[RecentCode]:
        """In one query, every code the resend wait and the caps of :meth:`issue` look at, newest first.

        This flow's codes younger than the resend wait, the person's of the last hour and the address's
        of the last day: every row a wait is worked out from.
        """
        resend_window = timedelta(seconds=self.policy.resend_seconds)
        rows = session.execute(
            select(
                OneTimeCode.flow_id,
                OneTimeCode.purpose,
                OneTimeCode.subject_key,
                OneTimeCode.destination,
                OneTimeCode.created_at,
            )
            .where(
                or_(
                    and_(
                        OneTimeCode.flow_id == flow_id,
                        OneTimeCode.purpose == purpose,
                        OneTimeCode.created_at > now - resend_window,
                    ),
                    and_(OneTimeCode.subject_key == subject_key, OneTimeCode.created_at > now - HOUR),
                    and_(OneTimeCode.destination == destination, OneTimeCode.created_at > now - DAY),
                )
            )
            .order_by(OneTimeCode.created_at.desc())
        ).all()
        return [RecentCode(*row) for row in rows]

    def _resend_wait_of(self, recent: list[RecentCode], flow_id: str, purpose: str, now: datetime) -> int:
        last = next((code for code in recent if code.flow_id == flow_id and code.purpose == purpose), None)
        if last is None:
            return 0
        return _seconds_left(utc(last.created_at) + timedelta(seconds=self.policy.resend_seconds), now)

    def _cap_wait_of(self, recent: list[RecentCode], subject_key: str, destination: str, now: datetime) -> int:
        """Seconds until every cap has room for one more code (0: room now), over rows already read."""
        policy = self.policy
        person = [code.created_at for code in recent if code.subject_key == subject_key]
        address = [code.created_at for code in recent if code.destination == destination]
        return max(
            _window_wait_of(person, policy.max_sends_per_person_per_hour, HOUR, now),
            _window_wait_of(address, policy.max_sends_per_address_per_hour, HOUR, now),
            _window_wait_of(address, policy.max_sends_per_address_per_day, DAY, now),
        )

    @staticmethod
    def _lock(session: Session, *names: str) -> None:
        """Serialise issues that share a flow, person or address, so two cannot both slip under a cap.

        PostgreSQL only. SQLite (the one-machine demo) has a single writer: of
        two racing issues the second fails to write ("database is locked")
        rather than exceeding a cap.
        """
        if session.get_bind().dialect.name != "postgresql":
            return
        keys = {  # sorted: one order everywhere, so two requests cannot deadlock
            f"key{index}": _lock_key(name) for index, name in enumerate(sorted(set(names)))
        }
        # One statement; PostgreSQL evaluates a target list left to right, so the locks are taken in that order.
        calls = ", ".join(f"pg_advisory_xact_lock(:{name})" for name in keys)
        session.execute(text(f"SELECT {calls}"), keys)


def _lock_key(name: str) -> int:
    """A 64-bit advisory lock key for a flow, person or address."""
    return int.from_bytes(hashlib.sha256(f"gateway.otp:{name}".encode()).digest()[:8], "big", signed=True)


@dataclass(frozen=True)
class RecentCode:
    """What the resend wait and the caps need of one recent code."""

    flow_id: str
    purpose: str
    subject_key: str
    destination: str
    created_at: datetime


def _window_wait_of(newest_first: list[datetime], limit: int, window: timedelta, now: datetime) -> int:
    """Sliding window: with ``limit`` sends in the last ``window``, wait until the oldest of them leaves it.

    ``newest_first``: the moments codes were sent, newest first (already read).
    """
    recent = [moment for moment in newest_first if utc(moment) > now - window][:limit]
    if len(recent) < limit:
        return 0
    return max(1, _seconds_left(utc(recent[-1]) + window, now))


def current_codes() -> OneTimeCodes:
    """The current app's :class:`OneTimeCodes`, built from its config on first use."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    codes = app.extensions.get(EXTENSION_KEY)
    if codes is None:
        codes = app.extensions[EXTENSION_KEY] = OneTimeCodes.from_config(app.config)
    assert isinstance(codes, OneTimeCodes)
    return codes
