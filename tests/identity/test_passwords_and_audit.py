"""Password rules, Argon2id parameters, and the append-only audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from gateway.audit.log import record
from gateway.identity.passwords import common_passwords, password_problems

CONTEXT = ["1000000008", "أحمد", "الزهراني", "Ahmed", "Al-Zahrani", "ahmed84"]


def codes(password: str, app: Flask) -> list[str]:
    with app.test_request_context():
        return [problem.code for problem in password_problems(password, minimum=8, maximum=128, context=CONTEXT)]


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("sunrise over the red sea", []),
        ("ﬁne ﬁshing trip 2026", []),  # ligatures are NFKC-normalised, still long enough
        ("short", ["too_short"]),
        ("password", ["common"]),
        ("Password123", ["common"]),
        ("qwertyuiop", ["common"]),
        ("my bawaba secret", ["portal_name"]),
        ("بوابة الخدمات ٢٠٢٦", ["portal_name"]),
        ("id 1000000008 safe", ["personal"]),
        ("id ١٠٠٠٠٠٠٠٠٨ safe", ["personal"]),
        ("i am ahmed84 here", ["personal"]),
        ("al-zahrani family", ["personal"]),
        ("x" * 64, []),
        ("x" * 129, ["too_long"]),
    ],
)
def test_password_rules(app: Flask, password: str, expected: list[str]) -> None:
    assert codes(password, app) == expected


def test_the_common_password_list_is_large() -> None:
    assert len(common_passwords()) >= 3000
    assert "123456" in common_passwords()


def test_production_hashes_use_rfc_9106_parameters(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gateway import create_app

    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    hashed = app.extensions["gateway.passwords"].hash("sunrise over the red sea")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_audit_log_is_append_only(app: Flask) -> None:
    session_factory = app.extensions["gateway"].database.session_factory
    with app.test_request_context(), session_factory() as db:
        record(db, "test.event", person_id=7, password="hunter2", code="123456", channel="sms")
        db.commit()
        stored = db.execute(text("SELECT details FROM audit_events")).scalar_one()
        assert "hunter2" not in str(stored)
        assert "123456" not in str(stored)
        assert "sms" in str(stored)
    for statement in ("UPDATE audit_events SET event = 'forged'", "DELETE FROM audit_events"):
        with session_factory() as db, pytest.raises(DBAPIError, match="append-only"):
            db.execute(text(statement))
    with session_factory() as db:
        assert db.execute(text("SELECT event FROM audit_events")).scalar_one() == "test.event"


def test_identity_tests_build_apps_with_cheap_hashing(make_app: Callable[..., Flask]) -> None:
    hashed = make_app().extensions["gateway.passwords"].hash("sunrise over the red sea")
    assert "m=1024,t=1,p=1" in hashed
