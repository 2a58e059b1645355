"""A plugin whose ``requires_sdk`` range holds the installed SDK: the host serves it."""

from __future__ import annotations

from pathlib import Path

from bawaba_sdk import Program, TranslationDomain, hookimpl

requires_sdk = ">=0.6,<1"

translations = TranslationDomain(Path(__file__).parent / "translations", "current")


@hookimpl
def gateway_register_program() -> Program:
    return Program(slug="current", name="Current", summary="Made for this SDK.", translations=translations)
