"""The ``allowance`` test plugin: a household allowance worked out from dated parameters.

It exercises the SDK 0.6 mechanisms the host runs: its parameters
(``gateway_register_parameters``, published on ``/programs/allowance/rules``
and overridable by ``GATEWAY_ALLOWANCE_P_…``) and the calculations the host
serves at ``/api/v1/programs/allowance/calculations/<name>``.

Module-level knobs (cleared by :func:`reset`) make the hooks misbehave on
purpose, as ``workflow_probe.RAISE_ON`` does.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import bawaba_sdk as sdk

from .calculations import CALCULATIONS, TODAY, allowance

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

blueprint = sdk.Blueprint(SLUG, __name__, template_folder="templates")


@blueprint.get("/estimate")
def estimate() -> str:
    """The allowance of a household with ``children`` children and ``income`` a month, explained line by line.

    With ``stored=1`` the explanation goes through its JSON storage form first, as a monthly
    statement kept in a table would.
    """
    try:
        children = max(0, min(int(sdk.request.args.get("children", "2")), 20))
        income = Decimal(sdk.request.args.get("income", "500.00")).quantize(Decimal("0.01"))
        abroad = max(0, min(int(sdk.request.args.get("abroad", "0")), 12))
    except (ValueError, InvalidOperation):
        sdk.abort(400)
    members = [{"relationship": "head"}] + [{"relationship": "child"}] * children
    situation = {"on": TODAY, "members": members, "income": income, "months_abroad": abroad}
    result: Any = allowance(situation, sdk.plugin_parameters(SLUG))
    if sdk.request.args.get("stored"):
        result = result.to_storage()
    return sdk.render_template("allowance/estimate.html", result=result, children=children)


PARAMETERS_ANSWER: list[Any] = []
"""When not empty, ``gateway_register_parameters`` answers its first item (raises it, if an exception)."""


CALCULATIONS_ANSWER: list[Any] = []
"""When not empty, ``gateway_register_calculations`` answers its first item instead of the two calculations."""


def reset() -> None:
    PARAMETERS_ANSWER.clear()
    CALCULATIONS_ANSWER.clear()


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_parameters() -> Any:
    if PARAMETERS_ANSWER and isinstance(PARAMETERS_ANSWER[0], Exception):
        raise PARAMETERS_ANSWER[0]
    return PARAMETERS_ANSWER[0] if PARAMETERS_ANSWER else PARAMETERS


@sdk.hookimpl
def gateway_register_calculations() -> Any:
    return CALCULATIONS_ANSWER[0] if CALCULATIONS_ANSWER else CALCULATIONS


@sdk.hookimpl
def gateway_register_blueprint() -> sdk.Blueprint:
    return blueprint
