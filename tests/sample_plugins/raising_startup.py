"""A plugin that registers fine and then raises in its start-up hook."""

from __future__ import annotations

from pathlib import Path

from bawaba_sdk import Blueprint, Program, TranslationDomain, hookimpl

translations = TranslationDomain(Path(__file__).parent / "translations", "fragile")
blueprint = Blueprint("fragile", __name__)


@blueprint.get("/")
def index() -> str:
    return "should never be served"


@hookimpl
def gateway_register_program() -> Program:
    return Program(slug="fragile", name="Fragile", summary="Breaks at start-up.", translations=translations)


@hookimpl
def gateway_register_blueprint() -> Blueprint:
    return blueprint


@hookimpl
def gateway_startup() -> None:
    raise ConnectionError("the program's back end is unreachable")
