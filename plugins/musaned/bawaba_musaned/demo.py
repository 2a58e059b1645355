"""Musaned's demonstration data, loaded by ``gateway demo load`` (safe to run twice)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from .office_demo import load_offices


def load(session: Session, settings: Mapping[str, Any]) -> list[str]:
    """Load what is missing of every part's demo data; lines say what was loaded."""
    return [*load_offices(session)]
