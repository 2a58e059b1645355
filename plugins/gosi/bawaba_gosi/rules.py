"""GOSI's rules as dated parameters: ``parameters/parameters.toml``, never code.

Every rate, cap and threshold the calculations use (contributions, the
contributory wage's bounds, the pension's accrual and minimum, the retirement
ages, SANED's rates and caps, the injury allowance) is read from the file
shipped with the package, each value with the day it took effect and its public
source, so an explanation names where each figure comes from and a new law is a
new dated line in the file.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import bawaba_sdk as sdk

PACKAGE = "bawaba_gosi"
OLD, NEW = "old", "new"


@cache
def published_parameters() -> sdk.ParameterSet:
    """The parameters as published (read once per process; a ``ParameterSet`` is read-only)."""
    return sdk.ParameterSet.for_package(PACKAGE)


def regime_of(first_registration: date, parameters: sdk.ParameterSet) -> str:
    """``new`` when the new law was in force on the day of the first registration, else ``old``.

    The law's start is the dated flag ``regime.new_law``, so the boundary
    (3 July 2024) is data with its source, not a date in code.
    """
    value = parameters["regime.new_law"].at(first_registration)
    return NEW if value is not None and value.value is True else OLD
