"""Fixtures for the OpenID Connect provider: a migrated portal, a browser and a person.

The portal is built by the real factory (``make_app``); ``init_oidc`` is
called here only when the factory does not call it yet. One RSA key is made
per test session and given through ``OIDC_KEY_FILE``, because generating a
key per test would dominate the suite's time. The helpers that drive the
flow live in ``oidc_flow.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc.jwk import RSAKey

from gateway.identity.models import Person
from tests.oidc.oidc_flow import add_person


@pytest.fixture(scope="session")
def oidc_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oidc-key") / "signing.pem"
    path.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    path.chmod(0o600)
    return path


@pytest.fixture
def make_oidc_app(make_app: Callable[..., Flask], oidc_key_file: Path) -> Callable[..., Flask]:
    """A migrated portal with the provider registered; keyword arguments override the config."""

    def factory(**overrides: Any) -> Flask:
        config: dict[str, Any] = {"PLUGINS": "", "OIDC_KEY_FILE": str(oidc_key_file)}
        config.update(overrides)
        return make_app(**config)

    return factory


@pytest.fixture
def oidc_app(make_oidc_app: Callable[..., Flask]) -> Flask:
    return make_oidc_app()


@pytest.fixture
def browser(oidc_app: Flask) -> FlaskClient:
    return oidc_app.test_client()


@pytest.fixture
def person(oidc_app: Flask) -> Person:
    return add_person(oidc_app)
