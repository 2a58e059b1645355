"""GOSI's own tables: one metadata, every table named ``gosi_*``, one Alembic history.

The contributor's record itself is never stored here: it is GOSI's, read
through the records adapter on each visit. Only what the portal decides
lives here (that a person activated their GOSI account, and when).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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
    """The declarative base of every GOSI table."""

    metadata = metadata


class Activation(Base):
    """A person of the portal who activated their GOSI account with a code (seed 004)."""

    __tablename__ = "gosi_activations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, unique=True)
    """The shared identity's person (``sdk.PersonView.id``); their mobile and email stay there."""
    id_number: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(8))
    """Where the activation code went: ``sms`` or ``email``."""
    activated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Certificate(Base):
    """A contributor certificate (شهادة مشترك) as issued: what it says, frozen, and its verification code."""

    __tablename__ = "gosi_certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    id_number: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Exactly what the certificate says (names, regime, months, current employers): the public page shows this."""


DATABASE = sdk.PluginDatabase.for_package(metadata, "bawaba_gosi")
"""What ``gateway_register_database`` hands the host."""
