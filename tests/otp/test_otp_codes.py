"""One-time codes against a real, migrated database (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from bawaba_sdk.testing.fixtures import configured_postgres_url
from gateway import migrate
from gateway.otp import (
    CodeRefused,
    IssuedCode,
    OneTimeCodes,
    ResendTooSoon,
    TooManyCodes,
    VerifyResult,
    current_codes,
    id_number_key,
    new_flow_id,
    person_key,
)
from gateway.otp.models import OneTimeCode

T0 = datetime(2026, 11, 21, 9, 0, 0, 123457, tzinfo=UTC)
"""A fixed "now"; its microseconds are the only 6-digit run in its text form (see the hash-only test)."""
SECRET = "s3cret-for-the-otp-tests-" + "x" * 24
MOBILE = "+966501234567"
SUBJECT = "id:1012345672"
REGISTRATION = "registration"

postgres_only = pytest.mark.skipif(configured_postgres_url() is None, reason="needs GATEWAY_TEST_DATABASE_URL")


def migrated(app: Flask) -> Flask:
    host = app.extensions["gateway"]
    migrate.upgrade(host.database.engine, host.migration_components())
    return app


@pytest.fixture
def otp_app(make_app: Callable[..., Flask]) -> Flask:
    return migrated(make_app(PLUGINS="", SECRET_KEY=SECRET))


@pytest.fixture
def db(otp_app: Flask) -> Iterator[Session]:
    session = otp_app.extensions["gateway"].database.session_factory()
    yield session
    session.close()


@pytest.fixture
def codes(otp_app: Flask) -> OneTimeCodes:
    return OneTimeCodes.from_config(otp_app.config)


def issue(
    codes: OneTimeCodes,
    db: Session,
    flow: str,
    *,
    at: datetime = T0,
    purpose: str = REGISTRATION,
    subject: str = SUBJECT,
    destination: str = MOBILE,
    channel: str = "sms",
) -> IssuedCode:
    issued = codes.issue(
        db, purpose=purpose, flow_id=flow, subject_key=subject, channel=channel, destination=destination, now=at
    )
    db.commit()
    return issued


def wrong(code: str) -> str:
    """A code of the same length that is certainly not ``code``."""
    return "".join(str((int(digit) + 1) % 10) for digit in code)


def row(db: Session, code_id: int) -> OneTimeCode:
    found = db.scalars(
        select(OneTimeCode).where(OneTimeCode.id == code_id).execution_options(populate_existing=True)
    ).one()
    return found


# -- the happy path and the basic rules ------------------------------------------------


def test_an_issued_code_verifies_once(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    assert len(issued.code) == 6 and issued.code.isdigit()
    assert issued.code not in repr(issued)
    assert issued.expires_at == T0 + timedelta(seconds=300)

    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0 + timedelta(seconds=10)) is (
        VerifyResult.OK
    )
    stored = row(db, issued.code_id)
    assert stored.used_at is not None
    assert stored.attempts == 0
    # single use: the same, correct code again finds nothing live
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0) is VerifyResult.NO_CODE


def test_a_wrong_code_tells_how_many_tries_are_left(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    first = codes.verify_detailed(db, purpose=REGISTRATION, flow_id=flow, code=wrong(issued.code), now=T0)
    assert (first.result, first.remaining_tries, first.code_id) == (VerifyResult.WRONG, 4, issued.code_id)
    second = codes.verify_detailed(db, purpose=REGISTRATION, flow_id=flow, code="12", now=T0)
    assert (second.result, second.remaining_tries) == (VerifyResult.WRONG, 3)
    assert codes.remaining_tries(db, flow_id=flow, purpose=REGISTRATION, now=T0) == 3
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0) is VerifyResult.OK
    assert codes.remaining_tries(db, flow_id=flow, purpose=REGISTRATION, now=T0) == 0


def test_five_wrong_tries_kill_the_code(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    results = [codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=wrong(issued.code), now=T0) for _ in range(5)]
    assert results == [VerifyResult.WRONG] * 4 + [VerifyResult.TOO_MANY_TRIES]
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0) is (
        VerifyResult.TOO_MANY_TRIES
    )
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=wrong(issued.code), now=T0) is (
        VerifyResult.TOO_MANY_TRIES
    )
    assert row(db, issued.code_id).attempts == 5
    assert row(db, issued.code_id).used_at is None


def test_a_code_expires_at_exactly_its_ttl(codes: OneTimeCodes, db: Session) -> None:
    just_in_time, too_late = new_flow_id(), new_flow_id()
    on_time = issue(codes, db, just_in_time)
    late = issue(codes, db, too_late, subject="id:1000000008", destination="+966501111111")
    last_moment = T0 + timedelta(seconds=300) - timedelta(microseconds=1)
    assert codes.verify(db, purpose=REGISTRATION, flow_id=just_in_time, code=on_time.code, now=last_moment) is (
        VerifyResult.OK
    )
    expiry = T0 + timedelta(seconds=300)
    assert codes.verify(db, purpose=REGISTRATION, flow_id=too_late, code=late.code, now=expiry) is VerifyResult.EXPIRED
    assert row(db, late.code_id).attempts == 0  # an expired code does not count tries
    assert codes.remaining_tries(db, flow_id=too_late, purpose=REGISTRATION, now=expiry) == 0


def test_a_code_only_serves_its_own_purpose(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow, purpose=REGISTRATION)
    assert codes.verify(db, purpose="password_reset", flow_id=flow, code=issued.code, now=T0) is VerifyResult.NO_CODE
    assert codes.verify(db, purpose="sign_in", flow_id=flow, code=issued.code, now=T0) is VerifyResult.NO_CODE
    assert row(db, issued.code_id).attempts == 0
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0) is VerifyResult.OK


def test_a_code_only_serves_the_flow_that_asked_for_it(codes: OneTimeCodes, db: Session) -> None:
    flow, attacker_flow = new_flow_id(), new_flow_id()
    issued = issue(codes, db, flow)
    assert codes.verify(db, purpose=REGISTRATION, flow_id=attacker_flow, code=issued.code, now=T0) is (
        VerifyResult.NO_CODE
    )
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0) is VerifyResult.OK


def test_arabic_indic_digits_and_spaces_are_accepted(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    arabic = issued.code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    typed = f" {arabic[:3]} {arabic[3:]}\u200f "
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=typed, now=T0) is VerifyResult.OK


def test_nothing_issued_means_no_code(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code="123456", now=T0) is VerifyResult.NO_CODE
    assert codes.seconds_until_resend(db, flow_id=flow, purpose=REGISTRATION, now=T0) == 0
    assert codes.remaining_tries(db, flow_id=flow, purpose=REGISTRATION, now=T0) == 0


# -- resending and the caps -------------------------------------------------------------


def test_a_resend_waits_and_then_voids_the_previous_code(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    first = issue(codes, db, flow)
    assert codes.seconds_until_resend(db, flow_id=flow, purpose=REGISTRATION, now=T0) == 60
    assert codes.seconds_until_resend(db, flow_id=flow, purpose=REGISTRATION, now=T0 + timedelta(seconds=45)) == 15

    with pytest.raises(ResendTooSoon) as refused:
        issue(codes, db, flow, at=T0 + timedelta(seconds=30))
    assert isinstance(refused.value, CodeRefused)
    assert refused.value.retry_after == 30
    db.rollback()
    assert row(db, first.code_id).voided_at is None  # a refused resend leaves the live code alone

    second = issue(codes, db, flow, at=T0 + timedelta(seconds=60))
    assert codes.seconds_until_resend(db, flow_id=flow, purpose=REGISTRATION, now=T0 + timedelta(seconds=60)) == 60
    assert row(db, first.code_id).voided_at is not None
    if first.code != second.code:  # the old code is void: it is only a wrong guess at the new one
        assert codes.verify(
            db, purpose=REGISTRATION, flow_id=flow, code=first.code, now=T0 + timedelta(seconds=61)
        ) is (VerifyResult.WRONG)
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=second.code, now=T0 + timedelta(seconds=62)) is (
        VerifyResult.OK
    )


def test_the_resend_wait_is_per_flow_and_purpose(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    first = issue(codes, db, flow, purpose=REGISTRATION)
    issue(codes, db, new_flow_id(), at=T0 + timedelta(seconds=1))  # another flow of the same person: no wait
    other_purpose = issue(codes, db, flow, purpose="contact_change", at=T0 + timedelta(seconds=2))
    assert row(db, first.code_id).voided_at is None  # a code of another purpose does not void it
    now = T0 + timedelta(seconds=3)
    assert codes.verify(db, purpose="contact_change", flow_id=flow, code=other_purpose.code, now=now) is VerifyResult.OK
    assert codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=first.code, now=now) is VerifyResult.OK


def test_five_codes_per_person_per_hour(codes: OneTimeCodes, db: Session) -> None:
    subject = person_key(12)
    for minute in range(5):  # a new flow each time, and a new address, so only the person cap applies
        issue(
            codes,
            db,
            new_flow_id(),
            at=T0 + timedelta(minutes=minute),
            subject=subject,
            destination=f"+96650000000{minute}",
        )

    with pytest.raises(TooManyCodes) as refused:
        issue(codes, db, new_flow_id(), at=T0 + timedelta(minutes=10), subject=subject, destination="+966509999999")
    assert refused.value.retry_after == 50 * 60  # when the first of the five leaves the hour
    db.rollback()
    assert db.scalar(select(OneTimeCode.id).where(OneTimeCode.destination == "+966509999999")) is None

    issue(codes, db, new_flow_id(), at=T0 + timedelta(hours=1), subject=subject, destination="+966509999999")
    with pytest.raises(TooManyCodes) as again:
        issue(codes, db, new_flow_id(), at=T0 + timedelta(hours=1), subject=subject, destination="+966508888888")
    assert again.value.retry_after == 60
    db.rollback()
    # another person is not affected
    issue(codes, db, new_flow_id(), at=T0 + timedelta(minutes=10), subject=person_key(13))


def test_the_refusal_for_the_longest_wait_wins(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    for minute in range(5):
        issue(codes, db, flow if minute == 4 else new_flow_id(), at=T0 + timedelta(minutes=minute))
    with pytest.raises(TooManyCodes) as refused:  # both the resend wait and the caps refuse; the caps are longer
        issue(codes, db, flow, at=T0 + timedelta(minutes=4, seconds=10))
    assert refused.value.retry_after == 56 * 60 - 10
    db.rollback()
    assert codes.seconds_until_resend(db, flow_id=flow, purpose=REGISTRATION, now=T0 + timedelta(minutes=4)) == 56 * 60


def test_an_undelivered_code_can_be_replaced_at_once_but_not_past_the_caps(codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    stuck = issue(codes, db, flow)
    replacement = codes.issue(
        db,
        purpose=REGISTRATION,
        flow_id=flow,
        subject_key=SUBJECT,
        channel="email",
        destination="a@example.com",
        now=T0 + timedelta(seconds=5),
        previous_undelivered=True,
    )
    db.commit()
    assert row(db, stuck.code_id).voided_at is not None
    assert codes.verify(
        db, purpose=REGISTRATION, flow_id=flow, code=replacement.code, now=T0 + timedelta(seconds=6)
    ) is (VerifyResult.OK)
    for second in range(10, 40, 10):
        codes.issue(
            db,
            purpose=REGISTRATION,
            flow_id=new_flow_id(),
            subject_key=SUBJECT,
            channel="sms",
            destination=MOBILE,
            now=T0 + timedelta(seconds=second),
        )
    db.commit()
    with pytest.raises(TooManyCodes):
        codes.issue(
            db,
            purpose=REGISTRATION,
            flow_id=flow,
            subject_key=SUBJECT,
            channel="email",
            destination="a@example.com",
            now=T0 + timedelta(seconds=50),
            previous_undelivered=True,
        )


def test_caps_per_address_count_every_person(codes: OneTimeCodes, db: Session) -> None:
    victim = "Victim@Example.COM"
    for minute in range(5):  # five different people (e.g. typed ID numbers) all naming one address
        issue(
            codes,
            db,
            new_flow_id(),
            at=T0 + timedelta(minutes=minute),
            subject=f"id:10000000{minute}0",
            channel="email",
            destination=victim,
        )
    with pytest.raises(TooManyCodes) as hourly:
        issue(
            codes,
            db,
            new_flow_id(),
            at=T0 + timedelta(minutes=5),
            subject="id:1000000990",
            channel="email",
            destination="victim@example.com",
        )
    assert hourly.value.retry_after == 55 * 60
    db.rollback()

    for minute in range(5):  # the second hour fills the day
        issue(
            codes,
            db,
            new_flow_id(),
            at=T0 + timedelta(minutes=61 + minute),
            subject=f"id:20000000{minute}0",
            channel="email",
            destination=victim,
        )
    three_hours_later = T0 + timedelta(hours=3)
    with pytest.raises(TooManyCodes) as daily:
        issue(
            codes, db, new_flow_id(), at=three_hours_later, subject="id:3000000000", channel="email", destination=victim
        )
    assert daily.value.retry_after == 21 * 3600
    db.rollback()
    issue(
        codes,
        db,
        new_flow_id(),
        at=T0 + timedelta(days=1),
        subject="id:3000000000",
        channel="email",
        destination=victim,
    )
    assert db.scalar(select(OneTimeCode.destination).where(OneTimeCode.subject_key == "id:3000000000")) == (
        "victim@example.com"
    )


# -- storage ----------------------------------------------------------------------------


def test_only_a_keyed_hash_is_stored(otp_app: Flask, codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    codes.record_message(db, issued.code_id, 42)
    db.commit()
    stored = row(db, issued.code_id)
    assert stored.outbox_message_id == 42
    assert stored.code_hash == codes.hash_code(purpose=REGISTRATION, flow_id=flow, code=issued.code)
    assert stored.code_hash != hashlib.sha256(issued.code.encode()).hexdigest()
    assert len(stored.code_hash) == 64
    assert issued.code not in repr(stored)

    engine = otp_app.extensions["gateway"].database.engine
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for values in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in values:
                    assert issued.code not in str(value), f"the code appears in {table}"


def test_the_hash_depends_on_the_secret_key(make_app: Callable[..., Flask], codes: OneTimeCodes) -> None:
    other = OneTimeCodes.from_config(make_app(PLUGINS="", SECRET_KEY="another-secret-key-" + "y" * 30).config)
    same = OneTimeCodes.from_config(make_app(PLUGINS="", SECRET_KEY=SECRET).config)
    flow = new_flow_id()
    mine = codes.hash_code(purpose=REGISTRATION, flow_id=flow, code="123456")
    assert other.hash_code(purpose=REGISTRATION, flow_id=flow, code="123456") != mine
    assert same.hash_code(purpose=REGISTRATION, flow_id=flow, code="123456") == mine
    # and on the purpose and flow, so a hash cannot be moved to another row
    assert codes.hash_code(purpose="sign_in", flow_id=flow, code="123456") != mine
    assert codes.hash_code(purpose=REGISTRATION, flow_id=new_flow_id(), code="123456") != mine


def test_a_code_hashed_under_an_old_secret_key_no_longer_verifies(
    make_app: Callable[..., Flask], codes: OneTimeCodes, db: Session
) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    rotated = OneTimeCodes.from_config(make_app(PLUGINS="", SECRET_KEY="rotated-secret-key-" + "z" * 30).config)
    assert rotated.verify(db, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0) is VerifyResult.WRONG


def test_purge_keeps_a_day_of_codes_for_the_caps(codes: OneTimeCodes, db: Session) -> None:
    old = issue(codes, db, new_flow_id(), at=T0)
    recent = issue(codes, db, new_flow_id(), at=T0 + timedelta(hours=20), subject="id:1000000008")
    now = T0 + timedelta(hours=25)
    assert codes.purge_expired(db, timedelta(0), now=now) == 1
    remaining = set(db.scalars(select(OneTimeCode.id)))
    assert remaining == {recent.code_id}
    assert old.code_id not in remaining
    assert codes.purge_expired(db, now, now=now) == 0


# -- configuration and misuse -----------------------------------------------------------


def test_the_numbers_come_from_configuration(make_app: Callable[..., Flask]) -> None:
    app = migrated(
        make_app(
            PLUGINS="",
            SECRET_KEY=SECRET,
            OTP_LENGTH=8,
            OTP_MAX_ATTEMPTS=3,
            OTP_TTL_SECONDS=120,
            OTP_RESEND_SECONDS=10,
            OTP_MAX_SENDS_PER_HOUR=2,
        )
    )
    codes = OneTimeCodes.from_config(app.config)
    with app.extensions["gateway"].database.session_factory() as db:
        flow = new_flow_id()
        issued = issue(codes, db, flow)
        assert len(issued.code) == 8
        assert issued.expires_at == T0 + timedelta(seconds=120)
        results = [
            codes.verify(db, purpose=REGISTRATION, flow_id=flow, code=wrong(issued.code), now=T0) for _ in range(3)
        ]
        assert results == [VerifyResult.WRONG, VerifyResult.WRONG, VerifyResult.TOO_MANY_TRIES]

        with pytest.raises(ResendTooSoon) as refused:
            issue(codes, db, flow, at=T0 + timedelta(seconds=5))
        assert refused.value.retry_after == 5
        db.rollback()
        second = issue(codes, db, flow, at=T0 + timedelta(seconds=10))
        assert codes.verify(
            db, purpose=REGISTRATION, flow_id=flow, code=second.code, now=T0 + timedelta(seconds=130)
        ) is (VerifyResult.EXPIRED)
        with pytest.raises(TooManyCodes):
            issue(codes, db, flow, at=T0 + timedelta(seconds=20))


def test_the_app_builds_its_service_once(otp_app: Flask) -> None:
    with otp_app.app_context():
        service = current_codes()
        assert service is current_codes()
        assert service.policy.max_attempts == 5
        assert service.policy.max_sends_per_address_per_day == 10


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"channel": "fax"}, "channel"),
        ({"destination": "0501234567"}, "E.164"),
        ({"channel": "email", "destination": "not an address"}, "email"),
        ({"purpose": "Sign In"}, "purpose"),
        ({"flow_id": "a flow with spaces"}, "flow id"),
        ({"subject_key": "1012345672"}, "subject key"),
    ],
)
def test_malformed_requests_are_programming_errors(
    codes: OneTimeCodes, db: Session, changes: dict[str, Any], complaint: str
) -> None:
    arguments: dict[str, Any] = {
        "purpose": REGISTRATION,
        "flow_id": new_flow_id(),
        "subject_key": SUBJECT,
        "channel": "sms",
        "destination": MOBILE,
        "now": T0,
    }
    arguments.update(changes)
    with pytest.raises(ValueError, match=complaint):
        codes.issue(db, **arguments)


def test_person_keys_are_normalised() -> None:
    assert id_number_key("١٠١٢ ٣٤٥ ٦٧٢") == "id:1012345672"
    assert person_key(12) == "person:12"
    with pytest.raises(ValueError, match="digits"):
        id_number_key("10x")
    assert len(new_flow_id()) == 32


# -- parallel requests (PostgreSQL, where requests really run side by side) ------------


def run_in_parallel(count: int, work: Callable[[Session, int], Any], session_factory: Any) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def worker(index: int) -> None:
        with session_factory() as session:
            barrier.wait()
            try:
                results[index] = work(session, index)
            except CodeRefused as refused:
                session.rollback()
                results[index] = refused

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@postgres_only
def test_parallel_guesses_cannot_exceed_the_limit(otp_app: Flask, codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    factory = otp_app.extensions["gateway"].database.session_factory
    results = run_in_parallel(
        10,
        lambda session, _index: codes.verify(
            session, purpose=REGISTRATION, flow_id=flow, code=wrong(issued.code), now=T0
        ),
        factory,
    )
    assert results.count(VerifyResult.WRONG) == 4
    assert results.count(VerifyResult.TOO_MANY_TRIES) == 6
    assert row(db, issued.code_id).attempts == 5


@postgres_only
def test_parallel_right_answers_use_the_code_once(otp_app: Flask, codes: OneTimeCodes, db: Session) -> None:
    flow = new_flow_id()
    issued = issue(codes, db, flow)
    factory = otp_app.extensions["gateway"].database.session_factory
    results = run_in_parallel(
        6,
        lambda session, _index: codes.verify(session, purpose=REGISTRATION, flow_id=flow, code=issued.code, now=T0),
        factory,
    )
    assert results.count(VerifyResult.OK) == 1
    assert results.count(VerifyResult.NO_CODE) == 5


@postgres_only
def test_parallel_sends_cannot_exceed_the_person_cap(otp_app: Flask, codes: OneTimeCodes) -> None:
    def send(session: Session, index: int) -> IssuedCode:
        issued = codes.issue(
            session,
            purpose=REGISTRATION,
            flow_id=new_flow_id(),
            subject_key=person_key(7),
            channel="sms",
            destination=f"+96650000000{index}",
            now=T0,
        )
        session.commit()
        return issued

    results = run_in_parallel(8, send, otp_app.extensions["gateway"].database.session_factory)
    assert sum(isinstance(result, IssuedCode) for result in results) == 5
    assert sum(isinstance(result, TooManyCodes) for result in results) == 3
