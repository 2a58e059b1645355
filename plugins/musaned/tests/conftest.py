"""Musaned's fixtures: a portal with the plugin, from the SDK's ``make_portal``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from musaned_portal import Musaned


@pytest.fixture
def musaned(make_portal: Callable[..., Any], sign_in_as: Callable[..., Any], tmp_path: Path) -> Musaned:
    app = make_portal(
        plugins="musaned",
        RATE_LIMIT_SIGNIN="1000/minute",
        RATE_LIMIT_REGISTRATION="1000/minute",
        RATE_LIMIT_CODES="1000/minute",
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
    )
    return Musaned(app=app, sign_in_as=sign_in_as)
