"""A plugin with a misspelt hook name."""

from __future__ import annotations

from bawaba_sdk import hookimpl


@hookimpl
def gateway_register_progam() -> None:  # misspelt on purpose
    return None
