"""A portal with the ``allowance`` test plugin's calculations and the OIDC provider (for the private one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from joserfc.jwk import RSAKey

from tests.sample_plugins import ALLOWANCE, entry_points
from tests.sample_plugins.allowance import calculations
from tests.sample_plugins.allowance import plugin as allowance

MUSANED = "bawaba_musaned.plugin"


@pytest.fixture(autouse=True)
def _reset_allowance() -> Iterator[None]:
    allowance.reset()
    calculations.RAISE_IN_COMPUTE.clear()
    yield
    allowance.reset()
    calculations.RAISE_IN_COMPUTE.clear()


@pytest.fixture(scope="session")
def calculations_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("calculations-oidc-key") / "signing.pem"
    path.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    path.chmod(0o600)
    return path


@pytest.fixture
def allowance_app(make_app: Callable[..., Flask], calculations_key_file: Path) -> Callable[..., Flask]:
    """Build a portal serving ``allowance`` and Musaned; keyword arguments are configuration keys."""

    def build(**config: Any) -> Flask:
        return make_app(
            PLUGINS="allowance,musaned",
            PLUGIN_ENTRY_POINTS=entry_points(allowance=ALLOWANCE, musaned=MUSANED),
            OIDC_KEY_FILE=str(calculations_key_file),
            **config,
        )

    return build
