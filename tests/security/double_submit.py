"""What the double-submit attacks share: a visa request ready to send, and requests released together."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.security.portal import AHMED, MINIMAL_PDF, Musaned, text

CLICKS = 6
NEW_VISA = "/apply/musaned/new_visa/"
STEPS: dict[str, dict[str, Any]] = {
    "worker": {"worker_type": "housemaid", "nationality": "PH", "salary": "1500"},
    "household": {"household_size": "4", "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh"},
    "capacity": {"proof_kind": "salary_certificate", "monthly_income": "18000"},
}


@dataclass
class ReadyToSend:
    app: Flask
    citizen: FlaskClient
    submission_key: str


@pytest.fixture
def ready_to_send(secure_portal: Callable[..., Flask]) -> ReadyToSend:
    """Ahmed's visa request filled in through the pages, with a PDF, up to "check your answers"."""
    app = secure_portal(LOG_LEVEL="WARNING")
    citizen = Musaned(app=app).citizen(AHMED)
    assert citizen.get(NEW_VISA).status_code == 303
    for slug, data in STEPS.items():
        if slug == "capacity":
            data = {**data, "proof": (BytesIO(MINIMAL_PDF), "salary.pdf")}
        saved = citizen.post(NEW_VISA + slug, data=data, content_type="multipart/form-data")
        assert saved.status_code == 303, text(saved)
    check = citizen.get(NEW_VISA + "check")
    key = re.search(r'name="submission_key" value="([^"]+)"', text(check))
    assert key is not None, text(check)
    return ReadyToSend(app, citizen, key.group(1))


def at_once(count: int, action: Callable[[], requests.Response]) -> list[requests.Response]:
    """``count`` calls of ``action`` released together; every answer, in no particular order."""
    barrier = threading.Barrier(count)
    answers: list[requests.Response] = []
    failures: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            answers.append(action())
        except BaseException as exc:  # reported below, with the rest
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == count
    return answers


def count(app: Flask, model: Any, *where: Any) -> int:
    with app.extensions["gateway"].database.session_factory() as db:
        return int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def backend(app: Flask) -> str:
    return str(app.extensions["gateway"].database.backend)
