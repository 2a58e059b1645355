"""The scenarios: what each sends, what each answer must be, and which generator measures it.

Replayable scenarios (the same request may be sent again: a page, a step
saved over itself) go to wrk when it is installed. Consumable ones (a
submission key, an authorization code, a sign-in's code) go to the Python
generator, each prepared item used once.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode, urlsplit

import psycopg

from .loadgen import (
    Connection,
    HttpRequest,
    HttpResponse,
    Job,
    Recorder,
    exchange,
    get,
    once_each,
    post_form,
    replay,
    run_jobs,
    status_is,
)
from .measurement import Measurement
from .seed import PASSWORD, REDIRECT_URI, VISA_FORM, VISA_STEPS, Browser, Citizen, Seeded
from .wrk import run_wrk

CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")


@dataclass
class Driver:
    """How long and how hard to push, and with what."""

    concurrency: int
    duration: float
    warmup: float
    wrk: str | None

    def replayed(
        self,
        port: int,
        requests: list[HttpRequest],
        expected: int,
        *,
        python: bool = False,
        cpu: Callable[[], float] | None = None,
    ) -> Measurement:
        """A replayable scenario: warm up, then measure with wrk (or the Python generator).

        ``cpu`` reads the server's CPU time; when given, the run's share of it is recorded.
        """
        if self.wrk and not python:
            run_wrk(
                self.wrk, port, requests, expected_status=expected, concurrency=self.concurrency, duration=self.warmup
            )
            before = cpu() if cpu else None
            measured = run_wrk(
                self.wrk, port, requests, expected_status=expected, concurrency=self.concurrency, duration=self.duration
            )
        else:
            check = status_is(expected)
            run_jobs(port, replay(requests, check), concurrency=self.concurrency, duration=self.warmup)
            before = cpu() if cpu else None
            measured = Measurement.from_load(
                run_jobs(port, replay(requests, check), concurrency=self.concurrency, duration=self.duration)
            )
        if cpu is None or before is None:
            return measured
        return replace(measured, server_cpu=cpu() - before)

    def consumed(self, port: int, jobs: list[Job], *, warmup_jobs: int, duration: float | None = None) -> Measurement:
        """A consumable scenario: the first ``warmup_jobs`` warm the server up, the rest are measured."""
        if warmup_jobs:
            run_jobs(port, jobs[:warmup_jobs], concurrency=self.concurrency, duration=self.duration)
        result = run_jobs(port, jobs[warmup_jobs:], concurrency=self.concurrency, duration=duration or self.duration)
        return Measurement.from_load(result)


# -- replayable --------------------------------------------------------------------------------------------


def reference_requests() -> list[HttpRequest]:
    """The bare app's only page."""
    return [get("/")]


def home_requests() -> list[HttpRequest]:
    """The portal's home page, anonymous: every enabled program with its services."""
    return [get("/")]


def dashboard_requests(seeded: Seeded) -> list[HttpRequest]:
    return [get("/applications/", signed.browser.cookie) for signed in seeded.dashboard]


def step_page_requests(seeded: Seeded) -> list[HttpRequest]:
    """The visa form's first page: it asks Musaned's eligibility hook, through the host's plugin dispatch."""
    return [get(VISA_FORM + "worker", signed.browser.cookie) for signed in seeded.form]


def step_save_requests(seeded: Seeded) -> list[HttpRequest]:
    """Saving the visa form's first step (checked by its schema and Musaned's hooks, stored in the draft)."""
    return [
        post_form(
            VISA_FORM + "worker", {**VISA_STEPS["worker"], "csrf_token": signed.browser.csrf}, signed.browser.cookie
        )
        for signed in seeded.form
    ]


# -- consumable --------------------------------------------------------------------------------------------


def submit_jobs(seeded: Seeded) -> list[Job]:
    """Sending a complete visa request from "check your answers", once per prepared draft."""
    requests = [
        post_form(
            VISA_FORM + "check",
            {"csrf_token": signed.browser.csrf, "submission_key": key},
            signed.browser.cookie,
        )
        for signed, key in seeded.submit
    ]
    return list(once_each(requests, status_is(303, "/done/")))


@dataclass(frozen=True)
class Grant:
    code: str
    verifier: str


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _authorize_path(client_id: str, challenge: str, state: str) -> str:
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile",
        "state": state,
        "nonce": secrets.token_urlsafe(12),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return "/oidc/authorize?" + urlencode(query)


def give_consent(port: int, seeded: Seeded) -> None:
    """Each OIDC person allows the client once, on the real consent page."""
    for signed in seeded.oidc:
        _verifier, challenge = _pkce()
        path = _authorize_path(seeded.oidc_client_id, challenge, "consent")
        shown = exchange(port, get(path, signed.browser.cookie))
        if shown.status == 302:
            continue
        if shown.status != 200:
            raise RuntimeError(f"the consent page answered {shown.status}")
        allowed = exchange(
            port,
            post_form(
                path.replace("/oidc/authorize?", "/oidc/authorize/decision?"),
                {"csrf_token": signed.browser.csrf, "decision": "allow"},
                signed.browser.cookie,
            ),
        )
        if allowed.status != 302:
            raise RuntimeError(f"allowing the client answered {allowed.status}: {allowed.body[:300]!r}")


def obtain_codes(port: int, seeded: Seeded, count: int, concurrency: int) -> list[Grant]:
    """``count`` authorization codes through the real authorization endpoint (consent already given)."""
    grants: list[Grant] = []

    def jobs() -> Iterator[Job]:
        for number in range(count):
            signed = seeded.oidc[number % len(seeded.oidc)]
            verifier, challenge = _pkce()
            request = get(_authorize_path(seeded.oidc_client_id, challenge, f"s{number}"), signed.browser.cookie)

            async def job(
                connection: Connection, recorder: Recorder, request: HttpRequest = request, verifier: str = verifier
            ) -> None:
                response = await recorder.timed(connection, request, status_is(302, "code="))
                if response is not None:
                    code = parse_qs(urlsplit(response.header("location")).query)["code"][0]
                    grants.append(Grant(code, verifier))

            yield job

    result = run_jobs(port, jobs(), concurrency=concurrency, duration=120)
    if result.errors:
        raise RuntimeError(f"{result.errors} authorization requests failed: {result.failures}")
    return grants


def token_jobs(seeded: Seeded, grants: list[Grant]) -> list[Job]:
    """Exchanging each code (with its PKCE verifier) for tokens, as a confidential client with Basic auth."""
    basic = base64.b64encode(f"{seeded.oidc_client_id}:{seeded.oidc_client_secret}".encode()).decode("ascii")
    requests = [
        post_form(
            "/oidc/token",
            {
                "grant_type": "authorization_code",
                "code": grant.code,
                "redirect_uri": REDIRECT_URI,
                "code_verifier": grant.verifier,
            },
            extra=(("Authorization", f"Basic {basic}"),),
        )
        for grant in grants
    ]

    def issued(response: HttpResponse) -> bool:
        return response.status == 200 and b'"id_token"' in response.body

    return list(once_each(requests, issued))


class Outbox:
    """Reads the code the portal just sent, from the outbox table (the person reading their phone).

    One plain connection behind a lock, used from a worker thread: it outlives
    the event loops of the warm-up and the measurement.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._connection: psycopg.Connection[tuple[str]] | None = None
        self._lock = threading.Lock()

    def _read(self, mobile: str) -> str | None:
        with self._lock:
            if self._connection is None:
                self._connection = psycopg.connect(self.database_url, autocommit=True)
            row = self._connection.execute(
                "SELECT body FROM outbox_messages WHERE recipient = %s ORDER BY id DESC LIMIT 1", (mobile,)
            ).fetchone()
        found = CODE.search(row[0]) if row else None
        return found.group(1) if found else None

    async def latest_code(self, mobile: str) -> str | None:
        return await asyncio.to_thread(self._read, mobile)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def sign_in_jobs(people: list[tuple[Citizen, Browser]], outbox: Outbox) -> list[Job]:
    """The full sign-in: ID number and password, then the code the portal sent by SMS.

    Reading the code is done here, between the two timed requests, with one
    query on the outbox table: it is not in any request's latency, but it is
    in the elapsed time (as a person's reading of the SMS would be).
    """

    def job_for(citizen: Citizen, browser: Browser) -> Job:
        password = post_form(
            "/account/sign-in",
            {"csrf_token": browser.csrf, "identifier": citizen.id_number, "password": PASSWORD},
            browser.cookie,
        )

        async def job(connection: Connection, recorder: Recorder) -> None:
            first = await recorder.timed(connection, password, status_is(303, "/account/sign-in/code"), tag="password")
            if first is None:
                return
            code = await outbox.latest_code(citizen.mobile)
            if code is None:
                recorder.count_failure(f"no code in the outbox for {citizen.mobile}")
                return
            second = post_form("/account/sign-in/code", {"csrf_token": browser.csrf, "code": code}, browser.cookie)
            done = await recorder.timed(connection, second, _signed_in, tag="code")
            if done is not None:
                recorder.operations += 1

        return job

    return [job_for(citizen, browser) for citizen, browser in people]


def _signed_in(response: HttpResponse) -> bool:
    return response.status == 303 and response.cookie("bawaba_session") not in (None, "")
