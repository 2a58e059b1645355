"""The verdict ``make security`` prints: each abuse case, whether the portal held, and the figures measured.

Tests record what they measured with :func:`note` (a timing comparison, how
many requests the API fuzzer sent); the suite's ``conftest.py`` prints the
table at the end of a run when ``GATEWAY_SECURITY_FULL=1`` (set by ``make
security``) and writes it to ``test-artifacts/security-verdict.md``, so a
run can be read, and the README's figures refreshed, without the scrollback.
"""

from __future__ import annotations

import os
import platform
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FULL_VARIABLE = "GATEWAY_SECURITY_FULL"
FULL_REASON = f"the slow part of the attack suite runs only in `make security` (set {FULL_VARIABLE}=1)"
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "security-verdict.md"

THEMES: dict[str, str] = {
    "test_enumeration": "Account enumeration by message (sign-in, registration, recovery, back office)",
    "test_enumeration_timing": "Account enumeration by timing (sign-in, recovery, back office)",
    "test_brute_force": "Brute force on passwords and on one-time codes",
    "test_csrf": "CSRF on every state-changing form",
    "test_guessing_ids": "Another person's applications, documents, bills, notifications by guessed ids",
    "test_staff_scopes": "Staff of one program (or one office) reaching another's",
    "test_sessions": "Session fixation and replay of a signed-out cookie",
    "test_open_redirects": "Open redirects through next and OIDC redirect_uri",
    "test_injection": "Script, template, SQL metacharacters and U+202E in typed text",
    "test_path_traversal": "Path traversal in document downloads",
    "test_uploads": "Oversized and mislabelled uploads",
    "test_email_headers": "Header injection through names and addresses in emails",
    "test_api_schemathesis": "Schemathesis against /api/openapi.json (no 5xx, responses match the schema)",
    "test_slow_provider": "A hanging SMS provider holding sign-ins and web workers (codes sent by the worker)",
    "test_double_submit": "Several clicks at once on Send of one visa request (each lands on its confirmation)",
    "test_double_submit_api": "Several API submits at once with one submission_key (the first answer for each)",
    "test_app_linking": "Two apps linking a citizen by comparing the sub they get (pairwise subjects)",
    "test_app_logout": "Apps left signed in after portal sign-out; a planted app logout link (RP-initiated logout)",
    "test_code_answers": "Expired code told from a wrong one; the hourly code cap answered without 429",
    "test_registration_notice": "Registering with someone's ID: the owner not told, or the page telling",
    "test_passphrases": "Long passphrases refused (up to 256 characters, NFKC before hashing)",
    "test_options": "OPTIONS and 405 answering with a wrong Allow header (checked over the URL map)",
    "test_production_refusals": "Production started on sandbox adapters, or without Redis for rate limits",
    "test_no_store": "Personal pages kept by the browser or a proxy (no-store on every signed-in answer)",
    "test_audit": "Blind spots of the audit log (refused access, password spraying, rolled-back requests)",
    "test_nested_json": "Deeply nested JSON on every route with a body (a clear 400, never a RecursionError 500)",
    "test_lockout": "Keeping a citizen or staff locked out by failing with their ID (known devices, bounded locks)",
}


def full_run() -> bool:
    """Whether the slow parts run (``make security``), not only the fast ones (``make test``)."""
    return os.environ.get(FULL_VARIABLE, "") == "1"


@dataclass
class Figures:
    """What the tests measured, by theme (the test module's name)."""

    lines: dict[str, list[str]] = field(default_factory=dict)

    def add(self, theme: str, line: str) -> None:
        self.lines.setdefault(theme, []).append(line)


FIGURES = Figures()


def note(module: str, line: str) -> None:
    """Record a figure for the verdict; ``module`` is the test module's ``__name__``."""
    FIGURES.add(module.rsplit(".", 1)[-1], line)


def _theme_of(nodeid: str) -> str | None:
    path = nodeid.split("::", 1)[0]
    if not path.startswith("tests/security/test_"):
        return None
    return Path(path).stem


def tally(stats: dict[str, list[Any]]) -> dict[str, Counter[str]]:
    """Outcome counts per theme from the terminal reporter's ``stats`` (call phase, plus setup errors)."""
    counts: dict[str, Counter[str]] = {theme: Counter() for theme in THEMES}
    for outcome in ("passed", "failed", "skipped", "error", "xfailed", "xpassed"):
        for report in stats.get(outcome, []):
            theme = _theme_of(getattr(report, "nodeid", ""))
            if theme is None:
                continue
            if outcome != "error" and getattr(report, "when", "call") not in ("call", "setup"):
                continue
            if outcome == "passed" and getattr(report, "when", "call") != "call":
                continue
            counts.setdefault(theme, Counter())[outcome] += 1
    return counts


def verdict_lines(counts: dict[str, Counter[str]], seconds: float) -> list[str]:
    """The verdict as Markdown lines: one row per abuse case, then the figures."""
    held = all(not (count["failed"] or count["error"]) for count in counts.values())
    missing = [theme for theme, count in counts.items() if not sum(count.values())]
    lines = [
        "# Attack suite verdict",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}), {seconds:.0f} s.",
        "",
        "| abuse case | passed | failed | skipped | verdict |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for theme, count in counts.items():
        title = THEMES.get(theme, theme)
        bad = count["failed"] + count["error"]
        state = "VULNERABLE" if bad else ("not run" if not count["passed"] else "held")
        lines.append(f"| {title} | {count['passed']} | {bad} | {count['skipped']} | {state} |")
    lines += ["", "Figures:", ""]
    for theme in counts:
        for line in FIGURES.lines.get(theme, []):
            lines.append(f"- {THEMES.get(theme, theme).split(' (')[0]}: {line}")
    if not held:
        overall = "NOT HELD: see the failures above"
    elif missing:
        overall = f"held for what ran (not run: {', '.join(missing)})"
    else:
        overall = "HELD: every abuse case was refused"
    lines += ["", f"**Verdict: {overall}.**"]
    return lines
