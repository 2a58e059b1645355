"""Fixtures of the messaging tests: migrated apps and real local servers (see messaging_servers)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from messaging_servers import Certificate, SmtpServer, make_certificate, start_smtp_server

from gateway import migrate
from gateway.messaging import init_messaging


@pytest.fixture
def outbox_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Build a migrated app with the messenger initialised; keywords override the config."""

    def build(**config: Any) -> Flask:
        app = make_app(**config)
        host = app.extensions["gateway"]
        migrate.upgrade(host.database.engine, host.migration_components())
        init_messaging(app)
        return app

    return build


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1 (no TLS), accepting any mail."""
    server = start_smtp_server(auth_require_tls=False)
    yield server
    server.controller.stop()


@pytest.fixture(scope="session")
def localhost_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))
