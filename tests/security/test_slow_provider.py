"""Issue 11, item 2: a slow SMS provider stalls nothing.

Codes are queued in the outbox inside the request and sent by ``gateway
worker`` afterwards. Against a real local SMS provider that takes every
request and never answers, and a portal served by ONE single-threaded server
(the harshest case: any request that waited for the provider would hold the
only worker, and everyone behind it), several sign-ins at once all answer,
and the home page answers, before the provider has answered anything; the
worker does reach the provider with every code; and once its attempts time
out, the code page tells the person their code is delayed.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from gateway.messaging.models import OutboxMessage
from tests.identity.conftest import GOOD_PASSWORD, Portal
from tests.messaging.messaging_servers import HangingSmsProvider
from tests.security.verdict import note
from tests.worker_process import gateway_worker

SIGN_INS = 4
RELAXED = {
    "RATE_LIMIT_SIGNIN": "1000/minute",
    "RATE_LIMIT_REGISTRATION": "1000/minute",
    "RATE_LIMIT_CODES": "1000/minute",
    "OTP_MAX_SENDS_PER_HOUR": 100,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_HOUR": 100,
    "OTP_MAX_SENDS_PER_ADDRESS_PER_DAY": 1000,
}


@pytest.fixture
def hanging_provider() -> Iterator[HangingSmsProvider]:
    provider = HangingSmsProvider()
    provider.start()
    yield provider
    provider.stop()


def _single_threaded(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _sign_in(base: str, provider: HangingSmsProvider, results: list[dict[str, Any]]) -> None:
    browser = requests.Session()
    started = time.monotonic()
    answer = browser.post(
        f"{base}/account/sign-in", data={"identifier": "ahmed84", "password": GOOD_PASSWORD}, allow_redirects=False
    )
    results.append(
        {
            "status": answer.status_code,
            "location": answer.headers.get("Location", ""),
            "seconds": time.monotonic() - started,
            "provider_answers": provider.answered,
            "browser": browser,
        }
    )


def _sms_codes(app: Flask) -> list[OutboxMessage]:
    with app.extensions["gateway"].database.session_factory() as db:
        query = select(OutboxMessage).where(OutboxMessage.purpose == "sign_in").order_by(OutboxMessage.id)
        return list(db.scalars(query).all())


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.1)


def test_sign_ins_answer_at_once_while_the_sms_provider_hangs(
    make_app: Callable[..., Flask], hanging_provider: HangingSmsProvider, tmp_path: Path
) -> None:
    registering = make_app(**RELAXED)
    Portal(registering).register(registering.test_client())  # codes readable in the sandbox outbox
    app = make_app(
        **RELAXED,
        SMS_ADAPTER="http",
        SMS_HTTP_URL=hanging_provider.url,
        SMS_HTTP_TOKEN="provider-token",
        SMS_HTTP_TIMEOUT_SECONDS=3,
        TASKS_URL=f"sqlite:///{tmp_path / 'tasks.sqlite3'}",
    )
    with gateway_worker(app, tmp_path / "worker.out") as worker_output:
        for base in _single_threaded(app):
            results: list[dict[str, Any]] = []
            threads = [
                threading.Thread(target=_sign_in, args=(base, hanging_provider, results)) for _ in range(SIGN_INS)
            ]
            for thread in threads:
                thread.start()
            home_started = time.monotonic()
            home = requests.get(base + "/", timeout=60)
            home_seconds = time.monotonic() - home_started
            for thread in threads:
                thread.join(timeout=60)

            # Every sign-in and the home page answered, before the provider answered anything.
            assert home.status_code == 200
            assert len(results) == SIGN_INS
            for result in results:
                assert (result["status"], result["location"]) == (303, "/account/sign-in/code")
                assert result["provider_answers"] == 0
            assert hanging_provider.answered == 0

            # The worker does take every code to the provider, which keeps them hanging ...
            _wait_for(lambda: len(hanging_provider.arrivals) >= SIGN_INS, "the worker reaching the provider")
            assert hanging_provider.answered == 0
            # ... and meanwhile the one web worker still serves everyone at once.
            during = {}
            for path in ("/", "/account/sign-in"):
                started = time.monotonic()
                assert requests.get(base + path, timeout=60).status_code == 200
                during[path] = time.monotonic() - started
            late: list[dict[str, Any]] = []
            _sign_in(base, hanging_provider, late)
            assert (late[0]["status"], late[0]["provider_answers"]) == (303, 0)

            # When the provider's time is up, the attempt is recorded and the person is told.
            _wait_for(
                lambda: sum(message.attempts for message in _sms_codes(app)) >= SIGN_INS,
                "the worker's attempts timing out",
            )
            page = results[0]["browser"].get(base + "/account/sign-in/code", headers={"Accept-Language": "en"})
            assert page.status_code == 200
            assert "taking longer than usual" in page.text
            assert hanging_provider.answered == 0
    messages = _sms_codes(app)
    assert len(messages) == SIGN_INS + 1 and all(message.status == "queued" for message in messages)
    assert "outbox message" in worker_output.read_text()  # the attempts were the worker's
    seconds = sorted(result["seconds"] for result in results)
    note(
        __name__,
        f"{SIGN_INS} sign-ins at once on one single-threaded server, the SMS provider never answering: "
        f"answered in {statistics.median(seconds) * 1000:.0f} ms median, {seconds[-1] * 1000:.0f} ms at most; "
        f"the home page meanwhile in {home_seconds * 1000:.0f} ms, and in {during['/'] * 1000:.0f} ms while "
        f"the worker's {SIGN_INS} sends hung (the provider answered none of them)",
    )
