"""The results as Markdown: printed, and written to ``benchmarks/results/latest.md`` for the README to link.

The machine is described first, because every figure below depends on it.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

from .argon2_rate import Argon2Rate
from .measurement import Measurement

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Row:
    """One line of the main table: a scenario, and the reference measured with the same generator."""

    name: str
    measurement: Measurement
    reference: Measurement | None
    operations_label: str = ""
    """For scenarios where one operation takes several requests (a sign-in): what an operation is."""

    @property
    def ratio(self) -> float:
        if self.reference is None or not self.reference.requests_per_second:
            return float("nan")
        return self.measurement.requests_per_second / self.reference.requests_per_second


@dataclass(frozen=True)
class PluginComparison:
    """One page measured in alternating rounds on the 3-plugin and the 50-plugin server."""

    name: str
    three: list[Measurement]
    fifty: list[Measurement]

    @property
    def per_round(self) -> list[float]:
        """Extra server CPU per request with 50 plugins, round by round (each pair measured back to back)."""
        extra = []
        for three, fifty in zip(self.three, self.fifty, strict=True):
            cost3, cost50 = three.cpu_per_request, fifty.cpu_per_request
            if cost3 and cost50 is not None:
                extra.append(cost50 / cost3 - 1)
        return extra

    @property
    def overhead(self) -> float:
        return statistics.median(self.per_round) if self.per_round else math.nan


@dataclass(frozen=True)
class Verdict:
    passed: bool
    text: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.text}"


@dataclass
class Results:
    started: datetime
    command: str
    machine: list[tuple[str, str]]
    server: str
    load: str
    rows: list[Row] = field(default_factory=list)
    startup: list[tuple[str, list[float]]] = field(default_factory=list)
    plugins: list[PluginComparison] = field(default_factory=list)
    argon2: Argon2Rate | None = None
    sign_in: Measurement | None = None
    served_argon2: float | None = None
    """Verifications per second of an app that only verifies, under the same gunicorn (a diagnostic)."""
    verdicts: list[Verdict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warning: str = ""


def machine(postgres: str, redis: str, wrk: str | None) -> list[tuple[str, str]]:
    return [
        ("CPU", _cpu_model()),
        ("cores", str(os.cpu_count())),
        ("memory", _memory()),
        ("system", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("PostgreSQL", postgres),
        ("Redis", redis),
        ("gunicorn", metadata.version("gunicorn")),
        ("load generator", f"{wrk} and a Python asyncio client" if wrk else "a Python asyncio client (wrk not found)"),
        ("commit", _commit()),
    ]


def cpu_busy(seconds: float = 2.0) -> float:
    """The share of the machine's CPU time spent busy over ``seconds``.

    Taken when nothing of the benchmark's runs, it shows other programs' work.
    """

    def sample() -> tuple[int, int]:
        fields = [int(value) for value in Path("/proc/stat").read_text(encoding="utf-8").split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields[:8]), idle

    try:
        total_before, idle_before = sample()
        time.sleep(seconds)
        total_after, idle_after = sample()
    except (OSError, ValueError, IndexError):
        return float("nan")
    elapsed = total_after - total_before
    return 1 - (idle_after - idle_before) / elapsed if elapsed else float("nan")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _commit() -> str:
    def git(*arguments: str) -> str:
        shown = subprocess.run(["git", *arguments], cwd=REPO, capture_output=True, text=True, check=False)
        return shown.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def _ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "—"
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds * 1000:.0f}"


def _rate(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def render(results: Results) -> str:
    lines = [
        "# Bawaba load benchmark: latest results",
        "",
        f"Run on {results.started:%Y-%m-%d %H:%M} UTC with `{results.command}`.",
        "",
        *([f"**{results.warning}**", ""] if results.warning else []),
        "## Machine",
        "",
        *(f"- {name}: {value}" for name, value in results.machine),
        "",
        f"Server: {results.server}.",
        "",
        f"Load: {results.load}",
        "",
        "## Scenarios",
        "",
        "| scenario | generator | requests/s | p50 ms | p95 ms | p99 ms | errors | requests | vs reference |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results.rows:
        measured = row.measurement
        ratio = "—" if row.reference is None else f"{row.ratio:.0%}"
        lines.append(
            f"| {row.name} | {measured.generator} | {_rate(measured.requests_per_second)} | {_ms(measured.p50)} "
            f"| {_ms(measured.p95)} | {_ms(measured.p99)} | {measured.errors} | {measured.requests} | {ratio} |"
        )
    for row in results.rows:
        if row.operations_label:
            lines.append("")
            lines.append(
                f"{row.name}: {_rate(row.measurement.operations_per_second)} {row.operations_label}/s "
                f"({row.measurement.operations} in {row.measurement.elapsed:.1f} s)."
            )
            for step, p50, p95, p99 in row.measurement.steps:
                lines.append(f"- step `{step}`: p50 {_ms(p50)} ms, p95 {_ms(p95)} ms, p99 {_ms(p99)} ms")
    failures = [(row.name, failure) for row in results.rows for failure in row.measurement.failures]
    if failures:
        lines += ["", "Errors seen (first few per scenario):", ""]
        lines += [f"- {name}: {failure}" for name, failure in failures]
    if results.startup:
        lines += ["", "## Start-up", "", "Time from starting gunicorn until the first answer of the ready page:", ""]
        for name, times in results.startup:
            shown = ", ".join(f"{value:.2f}" for value in times)
            lines.append(f"- {name}: median {sorted(times)[len(times) // 2]:.2f} s ({shown})")
    if results.plugins:
        lines += [
            "",
            "## Plugins: 3 enabled vs 50 (47 generated dummies)",
            "",
            "| page | req/s (3 / 50) | server CPU ms per request (3 / 50) | extra cost (median) | each round "
            "| p50 ms (3 / 50) |",
            "| --- | ---: | ---: | ---: | --- | ---: |",
        ]
        for comparison in results.plugins:
            three = Measurement.combined(comparison.three)
            fifty = Measurement.combined(comparison.fifty)
            rounds = ", ".join(f"{value:+.0%}" for value in comparison.per_round)
            lines.append(
                f"| {comparison.name} | {_rate(three.requests_per_second)} / {_rate(fifty.requests_per_second)} "
                f"| {_ms(three.cpu_per_request or math.nan)} / {_ms(fifty.cpu_per_request or math.nan)} "
                f"| {comparison.overhead:+.1%} | {rounds} | {_ms(three.p50)} / {_ms(fifty.p50)} |"
            )
    if results.argon2 is not None and results.sign_in is not None:
        rates = ", ".join(
            f"{processes} process{'es' if processes > 1 else ''}: {rate:.2f}/s"
            for processes, rate in results.argon2.per_processes
        )
        share = results.sign_in.operations_per_second / results.argon2.best if results.argon2.best else math.nan
        lines += [
            "",
            "## Sign-in and Argon2id",
            "",
            f"- raw verification rate, {results.argon2.describe()}, best of a reading just before and one just "
            f"after the sign-in scenario: {rates}; best {results.argon2.best:.2f}/s",
            f"- full sign-ins (password, then code): {results.sign_in.operations_per_second:.2f}/s = {share:.1%} "
            "of the best raw rate",
        ]
        if results.served_argon2:
            served_share = results.sign_in.operations_per_second / results.served_argon2
            lines.append(
                f"- the same verification served by the same gunicorn, an app doing nothing else "
                f"(`benchmarks/argon2_app.py`): {results.served_argon2:.2f}/s "
                f"({results.served_argon2 / results.argon2.best:.1%} of the raw rate); sign-in = {served_share:.1%} "
                "of it, i.e. what the portal's own sign-in work costs on top of serving a hash"
            )
    lines += ["", "## Verdicts", "", "```", *(verdict.line() for verdict in results.verdicts), "```"]
    if results.notes:
        lines += ["", "## How it was measured", "", *(f"- {note}" for note in results.notes)]
    return "\n".join(lines) + "\n"
