"""Helpers for the identity tests: real flows, with codes read from the real outbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.messaging.models import OutboxMessage

AHMED = {
    "id_type": "citizen",
    "id_number": "1000000008",
    "first_name": "Ahmed",
    "family_name": "Al-Zahrani",
    "birth_date": "13/06/1404",
}
AHMED_MOBILE = "+966501234567"
RAJESH = {
    "id_type": "resident",
    "id_number": "2000000006",
    "first_name": "Rajesh",
    "family_name": "Kumar",
    "birth_date": "1986-01-12",
}
GOOD_PASSWORD = "sunrise over the red sea 2026"


def latest_code(app: Flask, recipient: str) -> str:
    """The code in the newest code message sent to ``recipient`` (what the person reads on their phone).

    Notices (a registration started with the person's ID number) carry no code and are passed over.
    """
    with app.extensions["gateway"].database.session_factory() as db:
        message = db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.purpose != "notification")
            .order_by(OutboxMessage.id.desc())
        ).first()
    assert message is not None, f"no code was sent to {recipient}"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


def messages_to(app: Flask, recipient: str) -> list[OutboxMessage]:
    with app.extensions["gateway"].database.session_factory() as db:
        return list(db.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)).all())


@dataclass
class Portal:
    app: Flask

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def register(
        self,
        client: FlaskClient,
        person: dict[str, str] = AHMED,
        mobile: str = AHMED_MOBILE,
        username: str = "ahmed84",
        email: str = "ahmed@example.com",
    ) -> None:
        assert client.post("/account/register", data=person).status_code == 303
        assert client.post("/account/register/code", data={"code": latest_code(self.app, mobile)}).status_code == 303
        done = client.post(
            "/account/register/details",
            data={
                "username": username,
                "password": GOOD_PASSWORD,
                "password_confirmation": GOOD_PASSWORD,
                "email": email,
                "mobile": mobile.replace("+966", "0"),
            },
        )
        assert done.status_code == 303, done.get_data(as_text=True)

    def sign_in(
        self,
        client: FlaskClient,
        identifier: str = "1000000008",
        password: str = GOOD_PASSWORD,
        mobile: str = AHMED_MOBILE,
    ) -> None:
        first = client.post("/account/sign-in", data={"identifier": identifier, "password": password})
        assert first.status_code == 303, first.get_data(as_text=True)
        second = client.post("/account/sign-in/code", data={"code": latest_code(self.app, mobile)})
        assert second.status_code == 303, second.get_data(as_text=True)


@pytest.fixture
def portal(make_app: Callable[..., Flask]) -> Portal:
    return Portal(
        make_app(RATE_LIMIT_SIGNIN="1000/minute", RATE_LIMIT_REGISTRATION="1000/minute", RATE_LIMIT_CODES="1000/minute")
    )
