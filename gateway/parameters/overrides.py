"""Operators' overrides of a program's dated parameters, read like every other setting.

Each parameter of a program is also a setting ``GATEWAY_<SLUG>_<P_KEY>``
(``p_minimum_head`` for ``minimum.head``, or the parameter's own ``setting``
name). Its text is ``VALUE`` or ``VALUE@YYYY-MM-DD``: the value replaces the
published one from that day (from the start of the history without a day).
A value that does not fit the parameter's unit (a fraction of a month, a flag
given a number, a negative amount) is an operator's mistake and stops the
boot, naming the variable, exactly like a bad setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bawaba_sdk.parameters import Override, ParameterSet, parse_override

from ..settings import read_value


def setting_prefix(program_slug: str) -> str:
    """``GATEWAY_SOCIAL_SECURITY_``: what precedes a parameter's setting name in the environment."""
    return f"GATEWAY_{program_slug.upper()}_"


def read_overrides(
    program_slug: str, parameters: ParameterSet, overrides: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[dict[str, Override | None], list[str]]:
    """Every override an operator set for ``parameters``, and a line per unusable one.

    Read from ``<SLUG>_<P_KEY>`` in the ``create_app`` mapping, then the
    environment variable ``GATEWAY_<SLUG>_<P_KEY>``; an empty value means
    "not set".
    """
    found_overrides: dict[str, Override | None] = {}
    problems: list[str] = []
    for setting_name, parameter in parameters.setting_names():
        key = f"{program_slug.upper()}_{setting_name.upper()}"
        found, raw, source = read_value(key, overrides, environ)
        if not found:
            continue
        try:
            override = parse_override(raw)
            if override is not None:  # applying it to the parameter alone checks the value against its unit
                ParameterSet([parameter]).with_overrides({setting_name: override})
        except ValueError as exc:
            problems.append(f"GATEWAY_{key} ({source}={raw!r}): {exc}")
            continue
        found_overrides[setting_name] = override
    return found_overrides, problems


def applied(program_slug: str, parameters: ParameterSet, found: Mapping[str, Override | None]) -> ParameterSet:
    """``parameters`` with the operator's values in place, each naming its variable as its source."""
    if not any(value is not None for value in found.values()):
        return parameters
    return parameters.with_overrides(found, setting_prefix=setting_prefix(program_slug))
