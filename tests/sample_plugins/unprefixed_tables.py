"""A plugin that declares a table outside its own prefix."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table

from bawaba_sdk import PluginDatabase, Program, TranslationDomain, hookimpl

metadata = MetaData()
Table("people", metadata, Column("id", Integer, primary_key=True))
translations = TranslationDomain(Path(__file__).parent / "translations", "sloppy")


@hookimpl
def gateway_register_program() -> Program:
    return Program(slug="sloppy", name="Sloppy", summary="Takes another's table.", translations=translations)


@hookimpl
def gateway_register_database() -> PluginDatabase:
    return PluginDatabase(metadata=metadata, migrations=Path(__file__).parent)
