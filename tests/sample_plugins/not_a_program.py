"""A plugin whose register hook returns the wrong type."""

from __future__ import annotations

from bawaba_sdk import hookimpl


@hookimpl
def gateway_register_program() -> dict[str, str]:
    return {"slug": "oops"}
