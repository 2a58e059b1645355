"""Where the CPU goes on the rendered pages: CPU time per request, in one process, and a profile of each.

``make bench`` measures requests per second under load, which needs a quiet
machine; this measures CPU work, which does not: the portal (production
settings, the page cache off, the three first-party plugins) and a bare
Flask "hello" are driven in this process through Flask's test client, each
page ``--requests`` times after a warm-up, and ``time.process_time()`` over
those requests is divided by their number. The ratio "hello CPU / page CPU"
is what the page's share of hello's requests per second would be if the
server's CPU were the only limit (it is, under ``make bench``'s load).

Run ``python -m benchmarks.profile_pages`` (``--help`` for the options; by
default SQLite in a temporary folder; ``--database`` a PostgreSQL URL, used
in a schema of its own that is dropped afterwards; ``--redis`` for sessions
in Redis as in production). ``--profile`` adds each page's cProfile
summary (the functions with the most time of their own, and the most time
under them), which is how the profile section of the results file was made.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

from .reference_app import app as reference_app
from .seed import VISA_FORM, VISA_STEPS, Population, Seeded, portal_for_seeding, seed, write_registry

POPULATION = Population(dashboard=2, form=2, submit=0, sign_in=0, oidc=1)


@dataclass(frozen=True)
class Page:
    """One scenario: its name and how to send one request (``number`` picks a consumable item)."""

    name: str
    send: Callable[[int], TestResponse]
    expected: int
    consumable: bool = False


@dataclass(frozen=True)
class Cost:
    name: str
    cpu_ms: float
    requests: int


def portal_environment(folder: Path, database: str | None, redis: str | None) -> dict[str, str]:
    """The ``GATEWAY_*`` variables of ``make bench``'s portal with the page cache off."""
    environment = {
        "GATEWAY_ENV": "production",
        "GATEWAY_SECRET_KEY": secrets.token_urlsafe(36),
        "GATEWAY_DATABASE_URL": database or f"sqlite:///{folder / 'portal.sqlite3'}",
        "GATEWAY_INSTANCE_PATH": str(folder / "instance"),
        "GATEWAY_DOCUMENT_STORAGE_PATH": str(folder / "documents"),
        "GATEWAY_REGISTRY_SANDBOX_FILE": str(folder / "registry.json"),
        "GATEWAY_STAGING": "1",  # production settings on the sandbox registry, payments and outbox
        "GATEWAY_PAGE_CACHE_SECONDS": "0",
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_RATE_LIMIT_SIGNIN": "100000/minute",
        "GATEWAY_RATE_LIMIT_CODES": "100000/minute",
        "GATEWAY_RATE_LIMIT_REGISTRATION": "100000/minute",
    }
    if redis:
        environment["GATEWAY_REDIS_URL"] = redis
    else:
        environment["GATEWAY_RATE_LIMITS_IN_PROCESS"] = "1"
    return environment


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A schema of its own in the PostgreSQL database at ``url``; yields the URL that uses it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url).set(drivername="postgresql+psycopg")
    schema = f"profile_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield server.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def build_portal(folder: Path, database: str | None, redis: str | None, submissions: int) -> tuple[Flask, Seeded]:
    from gateway.migrate import upgrade_app

    for name in [name for name in os.environ if name.startswith("GATEWAY_")]:
        del os.environ[name]
    os.environ.update(portal_environment(folder, database, redis))
    population = Population(**{**POPULATION.__dict__, "submit": submissions})
    write_registry(folder / "registry.json", population.total)
    app = portal_for_seeding()
    upgrade_app(app)
    return app, seed(app, population)


def pages(app: Flask, seeded: Seeded) -> list[Page]:
    client = app.test_client(use_cookies=False)
    dashboard = {"Cookie": seeded.dashboard[0].browser.cookie}
    form = seeded.form[0].browser
    reference = _first_reference(client.get("/applications/", headers=dashboard).get_data(as_text=True))
    save = {**VISA_STEPS["worker"], "csrf_token": form.csrf}

    def submit(number: int) -> TestResponse:
        signed, key = seeded.submit[number]
        data = {"csrf_token": signed.browser.csrf, "submission_key": key}
        return client.post(VISA_FORM + "check", data=data, headers={"Cookie": signed.browser.cookie})

    return [
        Page("home page (anonymous)", lambda _: client.get("/"), 200),
        Page("dashboard, first view (20 applications)", lambda _: client.get("/applications/", headers=dashboard), 200),
        Page("application page", lambda _: client.get(f"/applications/{reference}", headers=dashboard), 200),
        Page(
            "form page (visa, worker step)",
            lambda _: client.get(VISA_FORM + "worker", headers={"Cookie": form.cookie}),
            200,
        ),
        Page(
            "save a form step",
            lambda _: client.post(VISA_FORM + "worker", data=save, headers={"Cookie": form.cookie}),
            303,
        ),
        Page("submit an application", submit, 303, consumable=True),
    ]


def _first_reference(dashboard: str) -> str:
    found = re.search(r'href="/applications/([A-Z0-9-]+)"', dashboard)
    if found is None:
        raise RuntimeError("the dashboard links to no application")
    return found.group(1)


def measure(
    page: Page, requests: int, warmup: int, offset: int = 0, profile: cProfile.Profile | None = None, rounds: int = 1
) -> Cost:
    """CPU per request: the least of ``rounds`` rounds (other processes' load only ever adds to a round)."""
    for number in range(warmup):
        _check(page, page.send(offset + number))
    number = offset + warmup
    each = max(1, requests // rounds)
    best = float("inf")
    for _ in range(rounds):
        began = time.process_time()
        if profile is not None:
            profile.enable()
        for number in range(number, number + each):  # noqa: B020 - consumable pages go on from the last one
            _check(page, page.send(number))
        number += 1
        if profile is not None:
            profile.disable()
        best = min(best, (time.process_time() - began) * 1000 / each)
    return Cost(page.name, best, each * rounds)


def _check(page: Page, response: TestResponse) -> None:
    if response.status_code != page.expected:
        raise RuntimeError(f"{page.name}: {response.status_code}, expected {page.expected}")


def hello_cost(requests: int, warmup: int, rounds: int) -> Cost:
    client = reference_app.test_client()
    return measure(Page("bare Flask hello", lambda _: client.get("/"), 200), requests, warmup, rounds=rounds)


def sampled_tree(page: Page, requests: int, offset: int) -> str:
    """pyinstrument's call tree of ``requests`` more requests (sampled, so small calls are not inflated)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for number in range(offset, offset + requests):
        _check(page, page.send(number))
    profiler.stop()
    return str(profiler.output_text(unicode=False, color=False, show_all=False))


def summary(profile: cProfile.Profile, lines: int) -> str:
    """The functions with most time of their own, then the most time under them (the project's and others')."""
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring (default 20)")
    parser.add_argument("--rounds", type=int, default=10, help="report the cheapest of this many rounds (default 10)")
    parser.add_argument("--database", help="a PostgreSQL URL (a schema of its own is made there); default SQLite")
    parser.add_argument("--redis", help="a Redis URL for the sessions (as in production); default the database")
    parser.add_argument("--profile", action="store_true", help="print each page's cProfile summary")
    parser.add_argument("--tree", action="store_true", help="print each page's sampled call tree (pyinstrument)")
    parser.add_argument("--lines", type=int, default=25, help="functions per profile listing (default 25)")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument("--dump", type=Path, help="with --profile: also write each page's profile (pstats) here")
    options = parser.parse_args(argv)

    submissions = 2 * (options.requests + options.warmup)
    with tempfile.TemporaryDirectory(prefix="bawaba-profile-") as temporary:
        folder = Path(temporary)
        with postgres_schema(options.database) if options.database else _nothing() as database:
            app, seeded = build_portal(folder, database, options.redis, submissions)
            hello = hello_cost(options.requests * 5, options.warmup, options.rounds)
            print(f"{hello.name}: {hello.cpu_ms:.3f} ms CPU per request ({hello.requests} requests)")
            for page in pages(app, seeded):
                if options.only and options.only not in page.name:
                    continue
                profile = cProfile.Profile() if options.profile else None
                cost = measure(page, options.requests, options.warmup, rounds=options.rounds)
                offset = options.requests + options.warmup if page.consumable else 0
                if options.tree:
                    print(sampled_tree(page, options.requests, offset))
                if profile is not None:
                    measure(page, options.requests, 0, offset=offset, profile=profile)
                share = hello.cpu_ms / cost.cpu_ms
                print(f"{cost.name}: {cost.cpu_ms:.2f} ms CPU per request, {share:.1%} of hello")
                if profile is not None:
                    print(summary(profile, options.lines))
                    print()
                    if options.dump:
                        options.dump.mkdir(parents=True, exist_ok=True)
                        profile.dump_stats(
                            options.dump / (re.sub(r"[^a-z]+", "-", page.name.lower()).strip("-") + ".prof")
                        )
            app.extensions["gateway"].database.dispose()
    return 0


@contextmanager
def _nothing() -> Iterator[Any]:
    yield None


if __name__ == "__main__":
    sys.exit(main())
