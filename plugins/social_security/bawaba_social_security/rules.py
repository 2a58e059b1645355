"""The programme's rules as dated parameters: ``parameters/parameters.toml``, never code.

Every threshold and amount the entitlement uses (the calculated minimums, the
cap, the months abroad, the job-seeking obligations...) is read from the
parameters file shipped with the package, each value with the date it took
effect and its public source, so a citizen reading an explanation sees where
each figure comes from, and a new royal order is a new dated line in the
file rather than a change of code.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import bawaba_sdk as sdk

PACKAGE = "bawaba_social_security"
PROGRAMME_START = date(2021, 7, 1)
"""The first day the developed programme's rules apply (the first value of every parameter)."""


@cache
def published_parameters() -> sdk.ParameterSet:
    """The parameters as published (read once per process; a ``ParameterSet`` is read-only)."""
    return sdk.ParameterSet.for_package(PACKAGE)
