"""Who may apply: the checks a program runs before a person starts a service.

A program answers ``gateway_check_eligibility`` with one
:class:`EligibilityCheck` per rule (an active registry account, no unpaid
traffic violations, enough income). The host shows every check, passed or
not, on the service's first page; when one fails it refuses the form (and the
JSON API) with a 403 and the checks, so a person always learns why they
cannot apply and what to do, and no path around the page skips a rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import LocalText


@dataclass(frozen=True)
class EligibilityCheck:
    """One rule and whether the person meets it.

    ``label`` says the rule as a statement ("Your Absher account is active");
    ``detail`` gives the figures or, for a failed check, what to do ("You owe
    1,250.00 SAR in traffic violations. Pay them through SADAD, then come back.").
    Both are shown as they are: translate them (lazy strings are fine).
    """

    label: LocalText
    passed: bool
    detail: LocalText = ""


def failed_checks(checks: Iterable[EligibilityCheck] | None) -> list[EligibilityCheck]:
    """The checks the person does not meet (none means they may apply)."""
    return [check for check in checks or () if not check.passed]
