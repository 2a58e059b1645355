"""The ``allowance`` test plugin: a household allowance worked out from dated parameters.

It exercises the SDK 0.6 mechanisms the host runs: its parameters
(``gateway_register_parameters``, published on ``/programs/allowance/rules``
and overridable by ``GATEWAY_ALLOWANCE_P_…``) and the calculations the host
serves at ``/api/v1/programs/allowance/calculations/<name>``.

Module-level knobs (cleared by :func:`reset`) make the hooks misbehave on
purpose, as ``workflow_probe.RAISE_ON`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bawaba_sdk as sdk

SLUG = "allowance"
HERE = Path(__file__).parent
translations = sdk.TranslationDomain(HERE / "translations", SLUG)
_l = translations.lazy_gettext

PARAMETERS = sdk.ParameterSet.from_file(HERE / "parameters" / "parameters.toml")

PROGRAM = sdk.Program(
    slug=SLUG,
    name=_l("Household allowance"),
    summary=_l("A monthly allowance for households with children."),
    translations=translations,
)

PARAMETERS_ANSWER: list[Any] = []
"""When not empty, ``gateway_register_parameters`` answers its first item (raises it, if an exception)."""


def reset() -> None:
    PARAMETERS_ANSWER.clear()


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_parameters() -> Any:
    if PARAMETERS_ANSWER and isinstance(PARAMETERS_ANSWER[0], Exception):
        raise PARAMETERS_ANSWER[0]
    return PARAMETERS_ANSWER[0] if PARAMETERS_ANSWER else PARAMETERS
