"""A portal with the ``allowance`` test plugin (dated parameters, calculations) beside Musaned."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests.sample_plugins import ALLOWANCE, entry_points
from tests.sample_plugins.allowance import plugin as allowance

MUSANED = "bawaba_musaned.plugin"


@pytest.fixture(autouse=True)
def _reset_allowance() -> Iterator[None]:
    allowance.reset()
    yield
    allowance.reset()


@pytest.fixture
def allowance_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Build a portal serving ``allowance`` and Musaned; keyword arguments are configuration keys."""

    def build(**config: Any) -> Flask:
        return make_app(
            PLUGINS="allowance,musaned",
            PLUGIN_ENTRY_POINTS=entry_points(allowance=ALLOWANCE, musaned=MUSANED),
            **config,
        )

    return build
