"""Every host model, imported once so ``Base.metadata`` knows all host tables.

Each part of the host keeps its tables in its own ``<part>/models.py``;
importing them all here (by looking for those modules) lets migrations and
``gateway db revision`` compare the whole schema without a hand-kept list.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from .database import Base

PACKAGE_DIR = Path(__file__).parent


def import_all_models() -> list[str]:
    """Import ``gateway.<part>.models`` for every part that has one; return their names."""
    imported = []
    for module in sorted(pkgutil.iter_modules([str(PACKAGE_DIR)]), key=lambda m: m.name):
        if module.ispkg and (PACKAGE_DIR / module.name / "models.py").exists():
            name = f"{__package__}.{module.name}.models"
            importlib.import_module(name)
            imported.append(name)
    return imported


import_all_models()

__all__ = ["Base", "import_all_models"]
