"""Fixtures for the JSON API: a migrated portal with the permits test plugin and the OIDC provider.

``init_api`` is called here only when the app factory does not call it yet.
One RSA signing key is made per test session (generating one per test would
dominate the suite's time).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from joserfc.jwk import RSAKey

from gateway.api import EXTENSION_KEY, init_api
from tests.api.api_flow import PERMITS, Caller, caller_for
from tests.sample_plugins import entry_points


@pytest.fixture(scope="session")
def api_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api-oidc-key") / "signing.pem"
    path.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    path.chmod(0o600)
    return path


@pytest.fixture
def make_api_app(make_app: Callable[..., Flask], api_key_file: Path, tmp_path: Path) -> Callable[..., Flask]:
    def factory(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "PLUGINS": "permits",
            "PLUGIN_ENTRY_POINTS": entry_points(permits=PERMITS),
            "OIDC_KEY_FILE": str(api_key_file),
            "DOCUMENT_STORAGE_PATH": str(tmp_path / "documents"),
        }
        config.update(overrides)
        app = make_app(**config)
        if EXTENSION_KEY not in app.extensions:
            init_api(app)
        return app

    return factory


@pytest.fixture
def api_app(make_api_app: Callable[..., Flask]) -> Flask:
    return make_api_app()


@pytest.fixture
def sara(api_app: Flask) -> Caller:
    """An app acting for Sara with a token that carries ``openid applications``."""
    return caller_for(api_app)
