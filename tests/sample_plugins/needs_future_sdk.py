"""A plugin written for an SDK that does not exist yet (``requires_sdk``): the host must refuse it."""

from __future__ import annotations

from pathlib import Path

from bawaba_sdk import Program, TranslationDomain, hookimpl

requires_sdk = ">=99"

translations = TranslationDomain(Path(__file__).parent / "translations", "future")


@hookimpl
def gateway_register_program() -> Program:
    return Program(slug="future", name="Future", summary="Needs SDK 99.", translations=translations)
