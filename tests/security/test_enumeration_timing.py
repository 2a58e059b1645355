"""Account enumeration by timing: a failed sign-in takes as long for an unknown account as for a known one.

A wrong password costs an Argon2id verification; without the dummy hash of
decision 0009 an unknown account would be answered at once, and anyone could
sort ID numbers by response time. The portal here uses the production
Argon2id parameters (the setting's defaults: RFC 9106's 64 MiB, 3 passes, 4
lanes), so the hash dominates a sign-in as it does in production.

Tries alternate known/unknown in ABBA order, so drift (another process
waking up) falls on both sides. Each try is timed twice: the process's CPU
time, which the machine's other load barely moves and on which the verdict
rests, and wall-clock time, what an attacker sees, reported and held to a
bound scaled by its own spread. The pass condition is that the two medians
differ by less than four standard errors of that difference (a spread-based
bound), or at most a tenth of one hash where the spread is tinier than that
(a known account does a few more database writes: the failure count, or the
code it is sent, some milliseconds of CPU that network jitter swamps), and
never by a quarter of one hash: a missing dummy hash (a difference of a
whole hash) fails the test.

Password recovery is measured the same way: it answers the same page whether
or not the ID number has an account, and must take the same time.

``make test`` runs 8 pairs for the web sign-in and for recovery; ``make
security`` 30 pairs, for the back office's sign-in too.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from tests.identity.conftest import AHMED, Portal
from tests.musaned.conftest import Musaned
from tests.security.portal import NOURA
from tests.security.verdict import FULL_REASON, full_run, note

PRODUCTION_ARGON2 = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_KIB": 65536, "ARGON2_PARALLELISM": 4}
NO_THROTTLE = {"SIGNIN_FREE_FAILURES": 20, "SIGNIN_LOCK_AFTER": 100, "SIGNIN_ADDRESS_LOCK_AFTER": 10000}
"""Delays and locks off (as far as the settings go) so every try of a known account checks its real hash."""
UNKNOWN = ["1000000040", "1000000065", "1000000099", "nosuchuser1", "2000000030", "nobodyhere2"]
WRONG = "certainly not the password 1"
PAIRS = 30 if full_run() else 8


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float


@dataclass(frozen=True)
class Comparison:
    """Medians, spreads and the bound for one clock (milliseconds)."""

    known: float
    unknown: float
    spread: float
    bound: float

    @property
    def difference(self) -> float:
        return abs(self.known - self.unknown)


def timed(request: Callable[[], Any]) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    answer = request()
    sample = Sample(time.perf_counter() - wall, time.process_time() - cpu)
    assert answer.status_code in (303, 401), answer.status_code  # sign-in refused, or on to the recovery code
    return sample


def measure(
    known: list[Callable[[], Any]], unknown: list[Callable[[], Any]], pairs: int
) -> list[tuple[Sample, Sample]]:
    """``pairs`` (known, unknown) timings in ABBA order, after one warm-up of each."""
    timed(known[0])
    timed(unknown[0])
    results = []
    for index in range(pairs):
        first_known = index % 2 == 0
        a = timed(known[index % len(known)] if first_known else unknown[index % len(unknown)])
        b = timed(unknown[index % len(unknown)] if first_known else known[index % len(known)])
        results.append((a, b) if first_known else (b, a))
    return results


def compare(values: list[tuple[float, float]], hash_cost: float) -> Comparison:
    """Medians, a robust spread (1.4826 MAD of both sides), and the bound the difference must stay under."""
    known = [pair[0] * 1000 for pair in values]
    unknown = [pair[1] * 1000 for pair in values]
    centre_k, centre_u = statistics.median(known), statistics.median(unknown)
    deviations = [abs(x - centre_k) for x in known] + [abs(x - centre_u) for x in unknown]
    spread = 1.4826 * statistics.median(deviations)
    standard_error = 1.2533 * spread * math.sqrt(2 / len(values))  # of a difference of two medians
    bound = min(0.25 * hash_cost * 1000, max(4 * standard_error, 0.1 * hash_cost * 1000))
    return Comparison(centre_k, centre_u, spread, bound)


def hash_cost(app: Flask) -> tuple[float, float]:
    """Wall and CPU seconds of one verification with the portal's own hasher (the dummy one)."""
    hasher = app.extensions["gateway.passwords"]
    hasher.waste_time_like_a_verify("warm-up")
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(3):
        hasher.waste_time_like_a_verify("any password")
    return (time.perf_counter() - wall) / 3, (time.process_time() - cpu) / 3


def check(name: str, app: Flask, samples: list[tuple[Sample, Sample]]) -> None:
    wall_hash, cpu_hash = hash_cost(app)
    cpu = compare([(k.cpu, u.cpu) for k, u in samples], cpu_hash)
    wall = compare([(k.wall, u.wall) for k, u in samples], wall_hash)
    wall_bound = max(4 * 1.2533 * wall.spread * math.sqrt(2 / len(samples)), 0.25 * wall_hash * 1000)
    note(
        __name__,
        f"{name}, {len(samples)} pairs: CPU median known {cpu.known:.1f} ms vs unknown {cpu.unknown:.1f} ms "
        f"(difference {cpu.difference:.1f} ms, spread {cpu.spread:.1f} ms, bound {cpu.bound:.1f} ms, "
        f"one hash {cpu_hash * 1000:.0f} ms); wall median {wall.known:.0f} vs {wall.unknown:.0f} ms "
        f"(spread {wall.spread:.0f} ms)",
    )
    assert cpu.difference < cpu.bound, cpu
    assert wall.difference < wall_bound, (wall, wall_bound)


def test_citizen_sign_in_failure_takes_as_long_for_an_unknown_account(secure_portal: Callable[..., Flask]) -> None:
    app = secure_portal(PLUGINS="", **PRODUCTION_ARGON2, **NO_THROTTLE)
    portal = Portal(app)
    accounts = [AHMED["id_number"]]
    portal.register(portal.client())
    if PAIRS > 20:  # each account takes 20 failures before delays would start: spread them over two
        Musaned(app=app).citizen(NOURA)
        accounts.append(NOURA)
    browser = app.test_client()

    def attempt(identifier: str) -> Callable[[], Any]:
        return lambda: browser.post("/account/sign-in", data={"identifier": identifier, "password": WRONG})

    samples = measure([attempt(a) for a in accounts], [attempt(u) for u in UNKNOWN], PAIRS)
    check("citizen sign-in", app, samples)


@pytest.mark.skipif(not full_run(), reason=FULL_REASON)
def test_staff_sign_in_failure_takes_as_long_for_an_unknown_username(secure_portal: Callable[..., Flask]) -> None:
    app = secure_portal(PLUGINS="musaned", **PRODUCTION_ARGON2, **NO_THROTTLE)
    musaned = Musaned(app=app)
    for name in ("timedone", "timedtwo"):
        musaned.staff(name)
    browser = app.test_client()

    def attempt(username: str) -> Callable[[], Any]:
        return lambda: browser.post("/backoffice/sign-in", data={"username": username, "password": WRONG})

    unknown = [attempt(name) for name in ("nosuchstaff", "ghoststaff", "formerstaff")]
    samples = measure([attempt("timedone"), attempt("timedtwo")], unknown, PAIRS)
    check("back-office sign-in", app, samples)


def test_recovery_takes_as_long_whether_or_not_the_id_has_an_account(secure_portal: Callable[..., Flask]) -> None:
    """Recovery answers the same page either way (decision 0009); it must take the same time too.

    For an existing account a code is issued and sent; for any other ID number
    nothing is. Before the fix only the second path paid the dummy Argon2id
    hash, so an unknown ID answered about one hash *slower*: one request told
    whether an ID had an account.
    """
    app = secure_portal(PLUGINS="", **PRODUCTION_ARGON2)
    portal = Portal(app)
    portal.register(portal.client())

    def attempt(id_number: str) -> Callable[[], Any]:
        return lambda: app.test_client().post("/account/recover", data={"id_number": id_number})

    unknown = [attempt(id_number) for id_number in UNKNOWN if id_number.isdigit()]
    samples = measure([attempt(AHMED["id_number"])], unknown, PAIRS)
    check("password recovery", app, samples)
