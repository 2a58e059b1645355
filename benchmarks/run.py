"""``make bench``: the portal under load, in its production set-up, against a bare Flask app.

Steps: check PostgreSQL and Redis (stop with a message when either is
missing), make a database and claim a Redis index for this run, measure the
raw Argon2id rate (to size the sign-in population), migrate and seed, then
start gunicorn: the reference app, the portal with its three plugins (the raw
Argon2id rate is read again just before and just after its sign-in scenario,
so the machine's drift over the run does not enter the comparison), an app
that only verifies a password, the portal with the page cache off, and the
portal with 50 plugins. Every server gets the same gunicorn command line. The results are printed and
written to ``benchmarks/results/latest.md``; the database, the Redis index,
the servers and the temporary folder are removed at the end.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from gateway.settings import load_host_settings

from . import argon2_rate, report, scenarios, seed, servers
from .dummy_plugins import write_dummy_plugins
from .measurement import Measurement
from .report import PluginComparison, Results, Row, Verdict
from .services import DEFAULT_POSTGRES, DEFAULT_REDIS, RunServices, ServiceUnavailableError, prepare
from .wrk import find_or_install_wrk, wrk_version

RESULTS = Path(__file__).with_name("results") / "latest.md"
PORTAL = "gateway:create_app()"
REFERENCE = "benchmarks.reference_app:app"
ARGON2_APP = "benchmarks.argon2_app:app"
DASHBOARD_SHARE = 0.40
DASHBOARD_P99 = 0.100
PLUGIN_OVERHEAD = 0.10
SIGN_IN_SHARE = 0.80
RAISED_RATE = "100000/minute"
BUSY_WARNING = 0.15
ROUNDS = 5


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up before each replayed scenario")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, for every server (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (default 2)")
    parser.add_argument("--submissions", type=int, default=700, help="prepared drafts for the submission scenario")
    parser.add_argument("--codes", type=int, default=1500, help="prepared authorization codes for the token exchange")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=f"PostgreSQL to use (default {DEFAULT_POSTGRES})")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help=f"Redis to use (default {DEFAULT_REDIS})")
    parser.add_argument("--python-only", action="store_true", help="use the Python generator even if wrk is there")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a target is missed")
    return parser.parse_args(argv)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Benchmark:
    """One run: owns its folder, its servers and its services until :meth:`close`."""

    def __init__(self, args: argparse.Namespace, services: RunServices, wrk: str | None) -> None:
        self.args = args
        self.services = services
        self.wrk = wrk
        self.folder = Path(tempfile.mkdtemp(prefix="bawaba-bench-"))
        self.running: list[servers.Server] = []
        self.gunicorn = servers.GunicornSettings(args.workers, args.threads)
        self.driver = scenarios.Driver(args.concurrency, args.duration, args.warmup, wrk)
        self.env = self._environment()

    def _environment(self) -> dict[str, str]:
        """Production settings; rate limits raised because every client comes from 127.0.0.1."""
        portal = {
            "GATEWAY_ENV": "production",
            "GATEWAY_SECRET_KEY": secrets.token_urlsafe(36),  # 48 characters
            "GATEWAY_DATABASE_URL": self.services.database_url,
            "GATEWAY_REDIS_URL": self.services.redis_url,
            "GATEWAY_STAGING": "1",  # production settings on the sandbox registry, payments and outbox
            "GATEWAY_INSTANCE_PATH": str(self.folder / "instance"),
            "GATEWAY_DOCUMENT_STORAGE_PATH": str(self.folder / "documents"),
            "GATEWAY_REGISTRY_SANDBOX_FILE": str(self.folder / "registry.json"),
            "GATEWAY_RATE_LIMIT_SIGNIN": RAISED_RATE,
            "GATEWAY_RATE_LIMIT_CODES": RAISED_RATE,
            "GATEWAY_RATE_LIMIT_REGISTRATION": RAISED_RATE,
        }
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("GATEWAY_")}
        for name in list(os.environ):
            if name.startswith("GATEWAY_"):
                del os.environ[name]
        os.environ.update(portal)  # the seeding app in this process reads the same configuration
        return {**inherited, **portal}

    def close(self) -> None:
        for server in self.running:
            server.stop()
        self.running.clear()
        self.services.drop()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- servers -----------------------------------------------------------------------------------------

    def start(self, name: str, app_spec: str, ready_path: str, env: dict[str, str] | None = None) -> servers.Server:
        server = servers.start(
            name,
            app_spec,
            settings=self.gunicorn,
            env=env or self.env,
            log=self.folder / "gunicorn.log",
            ready_path=ready_path,
            avoid_ports={server.port for server in self.running},
        )
        self.running.append(server)
        return server

    def stop(self, server: servers.Server) -> None:
        server.stop()
        self.running.remove(server)

    def start_timed(
        self, name: str, app_spec: str, ready_path: str, times: int, env: dict[str, str] | None = None
    ) -> tuple[servers.Server, list[float]]:
        """Start ``times`` times (stopping all but the last) and return the running server and each start-up time."""
        taken = []
        for attempt in range(times):
            server = self.start(name, app_spec, ready_path, env)
            taken.append(server.started_in)
            if attempt < times - 1:
                self.stop(server)
        return server, taken

    # -- the run -----------------------------------------------------------------------------------------

    def run(self, results: Results) -> None:
        args = self.args
        settings = load_host_settings()
        say("== raw Argon2id verification rate (no server running; sizes the sign-in population) ==")
        sizing = argon2_rate.measure(settings)
        say(f"   {sizing.per_processes}")

        sign_in_duration = args.duration * 2
        population = seed.Population(
            submit=args.submissions + args.concurrency,
            sign_in=max(150, math.ceil(sizing.best * sign_in_duration * 3)) + args.concurrency + 8,
        )
        say(f"== migrating and seeding {population.total} fictional people ==")
        seed.write_registry(self.folder / "registry.json", population.total)
        upgrade = subprocess.run(
            [str(Path(sys.executable).with_name("gateway")), "db", "upgrade"],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if upgrade.returncode != 0:
            raise RuntimeError(f"gateway db upgrade failed:\n{upgrade.stdout}\n{upgrade.stderr}")
        app = seed.portal_for_seeding()
        logging.getLogger("gateway").setLevel(logging.WARNING)  # this process's set-up, not the servers
        seeded = seed.seed(app, population)
        self.services.analyze()

        say("== reference: bare Flask app ==")
        reference, taken = self.start_timed("reference", REFERENCE, "/", 1)
        results.startup.append(("reference app", taken))
        references = {}
        if self.wrk:
            references["wrk"] = self.driver.replayed(reference.port, scenarios.reference_requests(), 200)
        references["python"] = self.driver.replayed(reference.port, scenarios.reference_requests(), 200, python=True)
        self.stop(reference)
        replay_reference = references["wrk" if self.wrk else "python"]
        results.rows.append(Row('reference: bare Flask "hello"', replay_reference, replay_reference))
        if self.wrk:
            results.rows.append(Row('reference: bare Flask "hello"', references["python"], references["python"]))

        say("== portal, 3 plugins ==")
        portal, taken = self.start_timed("portal", PORTAL, "/readyz", 3)
        results.startup.append(("portal, 3 plugins", taken))
        home3 = self.driver.replayed(portal.port, scenarios.home_requests(), 200)
        results.rows.append(Row("home page", home3, replay_reference))
        dashboard = self.driver.replayed(portal.port, scenarios.dashboard_requests(seeded), 200)
        results.rows.append(Row("dashboard, 20 applications in 2 programs", dashboard, replay_reference))
        saving = self.driver.replayed(portal.port, scenarios.step_save_requests(seeded), 303)
        results.rows.append(Row("save a form step (Musaned visa, POST + CSRF)", saving, replay_reference))
        step3 = self.driver.replayed(portal.port, scenarios.step_page_requests(seeded), 200)
        results.rows.append(Row("form page (Musaned visa, GET)", step3, replay_reference))

        say("== portal, 3 plugins, page cache off: every dashboard rendered ==")
        uncached_server = self.start(
            "portal-uncached", PORTAL, "/readyz", {**self.env, "GATEWAY_PAGE_CACHE_SECONDS": "0"}
        )
        uncached = self.driver.replayed(uncached_server.port, scenarios.dashboard_requests(seeded), 200)
        self.stop(uncached_server)
        results.rows.append(Row("dashboard, page cache off (each view rendered)", uncached, replay_reference))

        say("== portal, 3 plugins: submissions ==")
        submitting = self.driver.consumed(portal.port, scenarios.submit_jobs(seeded), warmup_jobs=args.concurrency)
        results.rows.append(Row("submit an application (check page POST)", submitting, references["python"]))

        say("== portal, 3 plugins: OIDC token exchange ==")
        scenarios.give_consent(portal.port, seeded)
        grants = scenarios.obtain_codes(portal.port, seeded, args.codes + args.concurrency, concurrency=16)
        tokens = self.driver.consumed(portal.port, scenarios.token_jobs(seeded, grants), warmup_jobs=args.concurrency)
        results.rows.append(Row("OIDC token exchange (code + PKCE)", tokens, references["python"]))

        say("== raw Argon2id verification rate, just before sign-in (portal idle) ==")
        adjacent = argon2_rate.measure(settings)
        say(f"   {adjacent.per_processes}")
        say("== portal, 3 plugins: sign-in with password and code ==")
        outbox = scenarios.Outbox(self.services.database_url)
        try:
            signing = self.driver.consumed(
                portal.port,
                scenarios.sign_in_jobs(seeded.sign_in, outbox),
                warmup_jobs=8,
                duration=sign_in_duration,
            )
        finally:
            outbox.close()
        results.sign_in = signing
        results.rows.append(Row("sign-in, password then code", signing, references["python"], "sign-ins"))
        say("== raw Argon2id verification rate, just after sign-in ==")
        adjacent = adjacent.merged(argon2_rate.measure(settings))
        say(f"   best of both: {adjacent.per_processes}")
        results.argon2 = adjacent
        say("== the same verification served by gunicorn, nothing else ==")
        served_hash = self.start("argon2-app", ARGON2_APP, "/")
        served = replace(self.driver, duration=sign_in_duration / 2).replayed(
            served_hash.port, scenarios.reference_requests(), 200, python=True
        )
        self.stop(served_hash)
        results.served_argon2 = served.requests_per_second

        say("== portal, 50 plugins ==")
        plugin_folder = self.folder / "plugins50"
        names = write_dummy_plugins(plugin_folder, 47)
        env50 = {
            **self.env,
            "GATEWAY_PLUGINS": ",".join(["musaned", "social_security", "gosi", *names]),
            "GATEWAY_PLUGINS_STRICT": "true",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(plugin_folder), self.env.get("PYTHONPATH", "")])),
        }
        portal50, taken = self.start_timed("portal50", PORTAL, "/readyz", 3, env50)
        results.startup.append(("portal, 50 plugins", taken))
        say("== 3 vs 50 plugins, in alternating rounds on both servers ==")
        rounds: dict[tuple[str, int], list[Measurement]] = {}
        short = replace(self.driver, duration=args.duration / ROUNDS, warmup=1.0)
        for _round in range(ROUNDS):
            for page, requests in (("form", scenarios.step_page_requests(seeded)), ("home", scenarios.home_requests())):
                for server, count in ((portal, 3), (portal50, 50)):
                    measured = short.replayed(server.port, requests, 200, cpu=server.cpu_seconds)
                    rounds.setdefault((page, count), []).append(measured)
        self.stop(portal50)
        self.stop(portal)
        results.plugins = [
            PluginComparison(name, rounds[(page, 3)], rounds[(page, 50)])
            for name, page in (("form page (Musaned visa, GET)", "form"), ("home page", "home"))
        ]

        results.verdicts = verdicts(dashboard, replay_reference, results.plugins[0], signing, adjacent.best)


def verdicts(
    dashboard: Measurement,
    reference: Measurement,
    plugins: PluginComparison,
    sign_in: Measurement,
    argon2_best: float,
) -> list[Verdict]:
    share = dashboard.requests_per_second / reference.requests_per_second
    overhead = plugins.overhead
    sign_in_share = sign_in.operations_per_second / argon2_best
    return [
        Verdict(
            share >= DASHBOARD_SHARE,
            f"dashboard throughput {dashboard.requests_per_second:.0f} req/s = {share:.1%} of the reference "
            f"(target >= {DASHBOARD_SHARE:.0%})",
        ),
        Verdict(
            dashboard.p99 < DASHBOARD_P99,
            f"dashboard p99 {dashboard.p99 * 1000:.1f} ms at {dashboard.concurrency} clients "
            f"(target < {DASHBOARD_P99 * 1000:.0f} ms)",
        ),
        Verdict(dashboard.errors == 0, f"dashboard errors: {dashboard.errors} (target 0)"),
        Verdict(
            overhead <= PLUGIN_OVERHEAD,
            f"50 plugins vs 3: {overhead:+.1%} server CPU per request on the form page that runs the hooks "
            f"(median of {len(plugins.per_round)} paired rounds, from "
            f"{min(plugins.per_round, default=math.nan):+.0%} to {max(plugins.per_round, default=math.nan):+.0%}) "
            f"(target <= +{PLUGIN_OVERHEAD:.0%})",
        ),
        Verdict(
            sign_in_share >= SIGN_IN_SHARE,
            f"sign-in {sign_in.operations_per_second:.2f}/s = {sign_in_share:.1%} of the raw Argon2id rate "
            f"{argon2_best:.2f}/s (target >= {SIGN_IN_SHARE:.0%})",
        ),
    ]


def notes(args: argparse.Namespace, wrk: str | None) -> list[str]:
    return [
        "The load generator and the servers share this machine's cores: every request the generator makes "
        "costs CPU the server could have used, so absolute figures are lower than on a separate client, and "
        "each ratio compares the portal and the reference under the same generator.",
        "Replayable scenarios (pages, saving a step) are driven by "
        f"{'wrk, one thread' if wrk else 'the Python generator'}; "
        "consumable ones (submission keys, authorization codes, sign-in codes) by the Python asyncio generator, "
        "each prepared item sent once. The reference is measured with both.",
        f"Each replayed scenario: {args.warmup:.0f} s warm-up, then {args.duration:.0f} s at {args.concurrency} "
        "concurrent keep-alive clients. Consumable scenarios: the first ones warm up, the rest run for at most "
        f"{args.duration:.0f} s ({args.duration * 2:.0f} s for sign-in) or until the prepared items run out.",
        "Production settings: GATEWAY_ENV=production, a generated 48-character secret key, PostgreSQL (a database "
        "made for the run) and Redis (sessions and rate limits), with GATEWAY_STAGING=1 for the sandbox registry, "
        "payments and outbox. The sign-in, code and registration rate limits "
        f"are raised to {RAISED_RATE} because every client shares 127.0.0.1; the limiter still runs on every request.",
        "Seeding goes through the portal's own code in the benchmark's process: people from a generated registry "
        "file, one Argon2id hash for every account, applications by submit_application, one visa draft through "
        "the real pages copied for the others (each with its own stored document), and browser sessions opened "
        "by the portal's sign_in() in a view only the seeding app has.",
        "Dashboard: each of 32 people has 20 applications (Musaned, social security, GOSI); after its first view a "
        "person's dashboard comes from the page cache in Redis until something on it changes (gateway/pagecache), "
        "and the row 'page cache off' is the same load on a server started with GATEWAY_PAGE_CACHE_SECONDS=0, i.e. "
        "what every first view after a change costs. Form step: the "
        "Musaned visa request's first step, saved over itself (303). Submission: the check page's POST with the "
        "draft's submission key, answered by a redirect to the confirmation (303).",
        "Sign-in: POST ID number and password (303 to the code page), read the code from the outbox table "
        "(in the generator, untimed but inside the elapsed time), POST the code (303 with a new session). "
        "The figure compared with Argon2id is complete sign-ins per second; the raw rate it is compared with is "
        "the best of readings taken just before and just after the sign-in scenario (1, 2 and 4 processes "
        "verifying at once, nothing else running), and an app doing only the verification under the same gunicorn "
        "shows what serving a hash costs by itself.",
        "OIDC: authorization codes made through the real /oidc/authorize (consent given once on the real page), "
        "then each exchanged at /oidc/token with its PKCE verifier and HTTP Basic client authentication.",
        "Plugins: 47 dummy plugins generated in a temporary folder, installed by a .dist-info with gateway.plugins "
        "entry points on the server's PYTHONPATH, enabled with GATEWAY_PLUGINS; each implements every hook the "
        "host calls while serving requests. Both servers run side by side and are measured in alternating "
        f"rounds ({ROUNDS} of {args.duration / ROUNDS:.1f} s per page and server, after 1 s of warm-up each), so a "
        "change in the machine's background load touches both alike. Cost per request = the CPU time gunicorn's "
        "master and workers used during the round (from /proc) divided by the requests served; the extra cost of "
        "50 plugins is that of the 50-plugin server over the 3-plugin one's in the same round, and the median over "
        "the rounds is the figure judged. req/s are totals over the rounds, p50 the mean of the rounds' p50.",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    started = datetime.now(UTC)
    busy_before = report.cpu_busy()
    try:
        services = prepare(args.postgres, args.redis)
    except ServiceUnavailableError as exc:
        print(f"make bench cannot run: {exc}", file=sys.stderr)
        return 2
    wrk = None if args.python_only else find_or_install_wrk()
    wrk_name = wrk_version(wrk) if wrk else None
    command = "make bench" if os.environ.get("MAKELEVEL") else "python -m benchmarks.run"
    if argv or sys.argv[1:]:
        command += " " + " ".join(argv if argv is not None else sys.argv[1:])
    results = Results(
        started=started,
        command=command,
        machine=report.machine(services.postgres_version, services.redis_version, wrk_name),
        server=f"`{servers.GunicornSettings(args.workers, args.threads).describe()}` for the portal and the reference",
        load=f"{args.concurrency} concurrent clients on loopback; the generator shares the {os.cpu_count()} cores "
        "with the server, PostgreSQL and Redis.",
    )
    benchmark = Benchmark(args, services, wrk)
    began = time.perf_counter()
    try:
        benchmark.run(results)
    except Exception as exc:
        log = benchmark.folder / "gunicorn.log"
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else ""
        print(f"the benchmark stopped: {type(exc).__name__}: {exc}\n{tail}", file=sys.stderr)
        return 1
    finally:
        benchmark.close()
    busy_after = report.cpu_busy()
    results.machine.append(
        ("CPU busy with other work", f"{busy_before:.0%} in the 2 s before the run, {busy_after:.0%} in the 2 s after")
    )
    results.notes = [*notes(args, wrk), f"The whole run took {time.perf_counter() - began:.0f} s."]
    if max(busy_before, busy_after) > BUSY_WARNING:
        results.warning = (
            f"Warning: other programs were using the CPU around this run ({busy_before:.0%} busy before it, "
            f"{busy_after:.0%} after); its figures are lower and noisier than on an idle machine."
        )
    text = report.render(results)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    say(f"written to {args.output}")
    missed = [verdict for verdict in results.verdicts if not verdict.passed]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
