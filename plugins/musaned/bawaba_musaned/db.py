"""Musaned's own tables: one metadata, every table named ``musaned_*``, one Alembic history.

Each part of the plugin (offices, visas, ...) declares its tables on
:data:`metadata` through :class:`Base`; the migrations in ``migrations/`` are
the only way they reach a database.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

import bawaba_sdk as sdk

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Base(DeclarativeBase):
    """The declarative base of every Musaned table."""

    metadata = metadata


DATABASE = sdk.PluginDatabase.for_package(metadata, "bawaba_musaned")
"""What ``gateway_register_database`` hands the host."""
