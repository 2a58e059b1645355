"""Test kit: check that every implementation of a plugin's adapter keeps its protocol.

A named implementation that lacks a method of the protocol, or takes other
arguments than the protocol says, breaks only when configuration picks it;
this meta-test finds it in the plugin's own suite::

    from bawaba_sdk.testing.adapters import adapter_problems

    def test_every_records_adapter_keeps_the_protocol():
        assert adapter_problems(RECORDS, skip=("http",)) == []   # http needs a URL: build it in its own test
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from ..adapters import AdapterChoice


def adapter_problems(
    choice: AdapterChoice[Any], settings: Mapping[str, Any] | None = None, *, skip: Iterable[str] = ()
) -> list[str]:
    """One line per implementation that cannot be built with ``settings`` or does not match the protocol.

    Each method's parameters must have the protocol's names, in its order.
    """
    problems = []
    if not choice.required_methods():
        problems.append(f"{choice.name}: the protocol declares no public method")
    skipped = set(skip)
    for name in choice.implementations:
        if name in skipped:
            continue
        try:
            adapter = choice.build({**(settings or {}), choice.setting_name: name})
        except Exception as exc:
            problems.append(f"{choice.name}/{name}: {exc}")
            continue
        for method in choice.required_methods():
            expected = _parameters(getattr(choice.protocol, method))
            actual = _parameters(getattr(adapter, method))
            if expected != actual:
                problems.append(f"{choice.name}/{name}.{method}: takes {actual}, the protocol says {expected}")
    return problems


def _parameters(function: Any) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name != "self"]


__all__ = ["adapter_problems"]
