"""A plugin whose demo data loader fails half way."""

from __future__ import annotations

from pathlib import Path

from bawaba_sdk import Program, TranslationDomain, hookimpl

translations = TranslationDomain(Path(__file__).parent / "translations", "clumsy")


@hookimpl
def gateway_register_program() -> Program:
    return Program(slug="clumsy", name="Clumsy", summary="Fails to load demo data.", translations=translations)


@hookimpl
def gateway_load_demo_data() -> list[str]:
    raise ValueError("demo file is corrupt")
