"""Plugins used only by the host's tests: one healthy, several broken on purpose.

``entry_points(...)`` turns ``name=module`` pairs into real entry points, the
same objects discovery yields for installed distributions.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint

from bawaba_sdk.markers import ENTRY_POINT_GROUP


def entry_points(**modules: str) -> list[EntryPoint]:
    return [EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP) for name, value in modules.items()]


LIBRARY = "tests.sample_plugins.library.plugin"
BROKEN_IMPORT = "tests.sample_plugins.broken_import"
RAISING_STARTUP = "tests.sample_plugins.raising_startup"
UNKNOWN_HOOK = "tests.sample_plugins.unknown_hook"
NOT_A_PROGRAM = "tests.sample_plugins.not_a_program"
UNPREFIXED_TABLES = "tests.sample_plugins.unprefixed_tables"
RAISING_DEMO = "tests.sample_plugins.raising_demo"
ALLOWANCE = "tests.sample_plugins.allowance.plugin"
TENANCY = "tests.sample_plugins.tenancy"
